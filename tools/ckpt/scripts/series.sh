#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The change as upstream would review it: a git format-patch series with
# a cover letter, against the pinned base, in patches/review-order.
#
#   series.sh           build/series/patches/*.patch (and the git tree
#                       build/series/tree, branch "series" on tag "base")
#   series.sh --check   also apply the series patch by patch on the base
#                       with git am, build the kernel (our config) after
#                       each patch, without a warning, and run
#                       checkpatch --strict on each
#                       (CKPT_SERIES_FROM=N: build from patch N on)
#
# One source of truth: the series is made from patches/ and the overlay,
# every patch of patches/series and every overlay file goes into it
# exactly once (but for the lines a later patch claims, below), and the
# tree it yields is checked against the tree that patches/series and the
# overlay give (what make builds).
# Author and Signed-off-by: git config user.name and user.email.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$CKPT_REPO"

check=
[ "${1:-}" = --check ] && check=1

out=$CKPT_BUILD/series
tree=$out/tree
order=patches/review-order
name=$(git config user.name || true)
email=$(git config user.email || true)
[ -n "$name" ] && [ -n "$email" ] ||
	die "git config user.name and user.email make the author and Signed-off-by"
ident="$name <$email>"
[ -f "$LINUX_SOURCE_TARBALL" ] || die "$LINUX_SOURCE_TARBALL missing (make deps)"

G() { git -C "$tree" -c user.name="$name" -c user.email="$email" "$@"; }

# --- the base, committed once ------------------------------------------
mkdir -p "$out"
if [ "$(cat "$out/base.stamp" 2>/dev/null)" != "$LINUX_SOURCE_VERSION" ]; then
	say SERIES "committing the base $LINUX_SOURCE_VERSION (once)"
	rm -rf "$tree" "$out/base.stamp"
	tar -xf "$LINUX_SOURCE_TARBALL" -C "$out"
	mv "$out/$LINUX_SOURCE_TOPDIR" "$tree"
	G init -q
	G add -A -f
	G commit -q -m "Linux $LINUX_SOURCE_VERSION ($LINUX_SOURCE_PKG)"
	G tag -f base >/dev/null
	echo "$LINUX_SOURCE_VERSION" >"$out/base.stamp"
fi
G checkout -q -f -B series base
G clean -q -fdx

# --- what the series must hold -------------------------------------------
# The overlay as kbuild.sh copies it, plus the tools; not the QEMU and
# build harness of this repository.
overlay=$out/overlay.list
git ls-files -- checkpoint fs arch include kernel mm Documentation \
	"$CKPT_SELFTESTS_SRC" tools/ckpt |
	grep -v -e '^tools/ckpt/scripts/' -e '^tools/ckpt/bench/' \
		-e '^tools/ckpt/ckpt-vm$' | LC_ALL=C sort >"$overlay"
wanted_patches=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' patches/series | LC_ALL=C sort)

# A patch file's message: its subject and body, without Signed-off-by.
patch_message() {
	awk '/^---$/ { exit }
	     /^Subject: / { sub(/^Subject: (\[PATCH[^]]*\] )?/, ""); print; body = 1; next }
	     body && !/^Signed-off-by: / { print }' "$1"
}

# Claims: FILE@WORD in a line of review-order takes the lines of FILE
# (an overlay file that an earlier line adds) that contain WORD into
# that line's patch; until then FILE reads without them.  This is how a
# list one line per kind (a Makefile, file_kinds.h, obj_kinds.h, a
# table) and the calls into a part grow patch by patch.  A claimed line
# takes along the lines up to where its parentheses and braces close (a
# declaration or call on several lines, a table row), and the "if",
# "for", "while" or "else" of which it is the whole statement, and
# for "err = call(...);" the "if (err) return err;" (or "goto") right
# after it; a
# conditional ("#if" to "#endif") whose first branch is all claimed
# goes with it, and its "#else" branch, if any, reads unconditional
# until then.
claims=$out/claims.list
: >"$claims"
n=0
while read -r pname words; do
	n=$((n + 1))
	for w in $words; do
		case $w in
		*@*)
			f=${w%%@*}
			grep -qxF "$f" "$overlay" || die "$order: $w claims lines of no overlay file"
			grep -qF -- "${w#*@}" "$f" || die "$order: $w claims no line"
			printf '%s\t%s\t%s\n' "$n" "$f" "${w#*@}" >>"$claims"
			;;
		esac
	done
done < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$order")

# Files that a line names by their own path: no directory takes them.
named=$out/named.list
sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$order" | awk '{ for (i = 2; i <= NF; i++) print $i }' |
	grep -v -e '\.patch$' -e '@' | LC_ALL=C sort >"$named"

# Overlay file $1 as it reads after line $2 of review-order: without
# the lines that later lines claim.
render() {
	awk -v k="$2" -v f="$1" -F '\t' '
		function depth(s,  t) {
			t = s
			return gsub(/[({]/, "", t) - gsub(/[)}]/, "", s)
		}
		# the "if (...)", "for (...)", "while (...)" or "else" whose
		# statement line @i is (no brace): it goes with it
		function header(i,  j, d) {
			if (i < 2 || drop[i - 1])
				return
			if (L[i - 1] ~ /^[ \t]*else[ \t]*$/) {
				drop[i - 1] = 1
				return
			}
			if (L[i - 1] !~ /\)[ \t]*$/)
				return
			d = 0
			for (j = i - 1; j >= 1; j--) {
				d -= depth(L[j])
				if (d <= 0)
					break
			}
			if (j >= 1 && d == 0 &&
			    L[j] ~ /^[ \t]*(else if|if|for|while) \(/)
				for (; j < i; j++)
					drop[j] = 1
		}
		FILENAME == ARGV[1] { if ($1 > k && $2 == f) P[++n] = $3; next }
		{ L[++nr] = $0 }
		END {
			for (i = 1; i <= nr; i++)
				for (j = 1; j <= n; j++)
					if (!drop[i] && index(L[i], P[j])) {
						a = i
						header(i)
						drop[i] = 1
						for (d = depth(L[i]); d > 0 && i < nr; d += depth(L[i]))
							drop[++i] = 1
						# "err = f(...);": its check goes too
						if (L[a] ~ /^[ \t]*(err|ret) = / &&
						    L[i + 1] ~ /^[ \t]*if \((err|ret)\)$/ &&
						    L[i + 2] ~ /^[ \t]*(return (err|ret)|goto [a-z_]+);$/) {
							drop[i + 1] = drop[i + 2] = 1
							i += 2
						}
						break
					}
			# conditionals, innermost first: a first branch that is
			# all claimed takes its #if, #else and #endif along
			for (i = 1; i <= nr; i++) {
				if (L[i] ~ /^#if/) {
					S[++sp] = i
					E[sp] = 0
				} else if (L[i] ~ /^#el/ && sp) {
					if (E[sp] == 0 && L[i] ~ /^#else/)
						E[sp] = i
					else
						E[sp] = -1
				} else if (L[i] ~ /^#endif/ && sp) {
					a = S[sp]
					b = E[sp] > 0 ? E[sp] : i
					all = E[sp] >= 0 && b > a + 1
					for (m = a + 1; m < b && all; m++)
						all = drop[m]
					if (all)
						drop[a] = drop[b] = drop[i] = 1
					sp--
				}
			}
			# and a blank line left next to another by a claim
			for (i = 1; i <= nr; i++) {
				if (drop[i]) {
					gap = 1
				} else if (L[i] != "" || !blank || !gap) {
					print L[i]
					blank = L[i] == ""
					gap = 0
				}
			}
		}' "$claims" "$1"
}

used_files=$out/used-files.list
used_patches=$out/used-patches.list
: >"$used_files"
: >"$used_patches"
n=0
while read -r pname words; do
	n=$((n + 1))
	read -r -a items <<<"$words"
	patches=()
	for w in "${items[@]}"; do
		case $w in
		*@*)
			f=${w%%@*}
			grep -qxF "$f" "$used_files" ||
				die "$order: $w claims lines of a file no earlier line adds"
			render "$f" "$n" >"$tree/$f"
			;;
		*.patch)
			[ -f "patches/$w" ] || die "$order: $w does not exist"
			patch -d "$tree" -p1 -s --fuzz=0 --no-backup-if-mismatch --forward \
				<"patches/$w" ||
				die "$order: $w does not apply at patch $n ($pname)"
			patches+=("$w")
			echo "$w" >>"$used_patches"
			;;
		*)
			files=$(grep -E "^${w//./\\.}(/|\$)" "$overlay" |
				{ [ -f "$w" ] && cat || grep -vxF -f "$named"; } || true)
			[ -n "$files" ] || die "$order: $w holds no overlay file"
			while IFS= read -r f; do
				mkdir -p "$(dirname "$tree/$f")"
				render "$f" "$n" >"$tree/$f"
				chmod --reference="$f" "$tree/$f"
				echo "$f" >>"$used_files"
			done <<<"$files"
			;;
		esac
	done
	msg=$out/msg
	if [ -f "patches/msg/$pname" ]; then
		cat "patches/msg/$pname" >"$msg"
	elif [ ${#patches[@]} -eq 1 ]; then
		patch_message "patches/${patches[0]}" >"$msg"
	else
		die "$order: $pname needs patches/msg/$pname"
	fi
	# one blank line before the sign-off, whatever the message ended with
	sed -i -e :a -e '/^\n*$/{$d;N;ba' -e '}' "$msg"
	printf '\nSigned-off-by: %s\n' "$ident" >>"$msg"
	G add -A -f
	G commit -q --author="$ident" -F "$msg"
done < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$order")

# --- once each, all of it ------------------------------------------------
dups=$(LC_ALL=C sort "$used_files" "$used_patches" | uniq -d)
[ -z "$dups" ] || die "in the series twice: $dups"
missing=$(LC_ALL=C comm -23 "$overlay" <(LC_ALL=C sort "$used_files"))
[ -z "$missing" ] || die "overlay files in no patch of $order: $missing"
missing=$(LC_ALL=C comm -23 <(echo "$wanted_patches") <(LC_ALL=C sort "$used_patches"))
[ -z "$missing" ] || die "patches of patches/series in no line of $order: $missing"
extra=$(LC_ALL=C comm -13 <(echo "$wanted_patches") <(LC_ALL=C sort "$used_patches"))
[ -z "$extra" ] || die "$order names patches that patches/series does not: $extra"

# --- the same tree as patches/series gives ---------------------------------
# Files the edits touch, patched in series order from the base, must
# read as they do at the end of the series (overlay files are copies).
scratch=$out/scratch
rm -rf "$scratch"
mkdir -p "$scratch"
touched=$(sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' \
	$(sed 's|^|patches/|' <<<"$wanted_patches") | LC_ALL=C sort -u)
for f in $touched; do
	mkdir -p "$(dirname "$scratch/$f")"
	G show "base:$f" >"$scratch/$f" 2>/dev/null || : >"$scratch/$f"
done
while IFS= read -r p; do
	patch -d "$scratch" -p1 -s --fuzz=0 --no-backup-if-mismatch --forward \
		<"patches/$p" >/dev/null ||
		die "patches/series: $p does not apply in series order"
done < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' patches/series)
for f in $touched; do
	cmp -s "$scratch/$f" "$tree/$f" ||
		die "$f differs between patches/series and $order"
done
rm -rf "$scratch"
# and the overlay, every claim made, is what make copies
while IFS= read -r f; do
	cmp -s "$f" "$tree/$f" || die "$f differs between the overlay and $order"
done <"$overlay"

# --- the patches ------------------------------------------------------------
rm -rf "$out/patches"
G format-patch -q --cover-letter --thread -o "$out/patches" base..series
cover=$(ls "$out"/patches/0000-*.patch)
{
	sed -n '1,/\*\*\* SUBJECT HERE \*\*\*/p' "$cover" |
		sed "s|\*\*\* SUBJECT HERE \*\*\*|$(head -n1 patches/msg/cover)|"
	sed -n '/\*\*\* SUBJECT HERE \*\*\*/,/\*\*\* BLURB HERE \*\*\*/p' "$cover" |
		sed -e '1d' -e '$d'
	tail -n +3 patches/msg/cover
	sed -n '/\*\*\* BLURB HERE \*\*\*/,$p' "$cover" | sed '1d'
} >"$cover.new"
mv "$cover.new" "$cover"

say SERIES "$(G rev-list --count base..series) patches in ${out#"$CKPT_REPO"/}/patches:"
G log --reverse --format='%s' --shortstat base..series |
	awk '/^ [0-9]+ file/ { ins = $4 + 0; del = ($6 ~ /^[0-9]/) ? $6 : 0;
			       printf "  +%-6d -%-5d %s\n", ins, del, subj; next }
	     NF { subj = $0 }'

[ -n "$check" ] || exit 0

# --- series-check: git am, build and checkpatch at every patch -------------
config=$CKPT_BUILD/linux/.config
[ -f "$config" ] || die "no $config: run make first (series-check builds with our config)"
obj=$out/obj
mkdir -p "$obj"
G checkout -q -f -B series-check base
G clean -q -fdx

# checkpatch --strict, but for FILE_PATH_CHANGES ("does MAINTAINERS need
# updating?"), which every patch that adds files raises: the entry is in
# the first one.  The user space patches, the tools and the selftests,
# are checked without some kernel-only rules, each for a reason:
#   PREFER_DEFINED_ATTRIBUTE_MACRO  __printf(), __noreturn and the like
#	are the kernel's (compiler_attributes.h); user space has no such
#	header and spells out __attribute__((...))
#   ENOSYS  user space asks whether a system call exists, which is what
#	ENOSYS means there
#   VOLATILE  only for volatile sig_atomic_t shared with a signal handler
#	and for the volatile accesses by which a test checks memory, which
#	the compiler must not drop; all else uses C11 atomics
#   MULTISTATEMENT_MACRO_USE_DO_WHILE, MACRO_ARG_REUSE  only
#	CKPT_FIXTURE(name), which writes one test file's kselftest
#	FIXTURE, FIXTURE_SETUP and FIXTURE_TEARDOWN: definitions at file
#	scope, which no do-while can hold, naming the fixture in each
#   CAMELCASE (tools)  only C99's PRIu64, PRIx64 and PRId64 (<inttypes.h>)
#   EMBEDDED_FUNCTION_NAME (tools)  words of strings that name no
#	function: "cgroup.freeze", mkimage's variant names, usage text
ignore_kernel=FILE_PATH_CHANGES
ignore_selftests=$ignore_kernel,PREFER_DEFINED_ATTRIBUTE_MACRO,ENOSYS,VOLATILE
ignore_selftests=$ignore_selftests,MULTISTATEMENT_MACRO_USE_DO_WHILE,MACRO_ARG_REUSE
ignore_tools=$ignore_selftests,CAMELCASE,EMBEDDED_FUNCTION_NAME

# The --ignore list of patch $1: by the files it touches, all of
# tools/ckpt, all of the selftests, or the kernel's.
checkpatch_ignore() {
	local files
	files=$(sed -n 's|^+++ b/||p' "$1")
	if [ -n "$files" ] && ! grep -qv '^tools/ckpt/' <<<"$files"; then
		echo "$ignore_tools"
	elif [ -n "$files" ] && ! grep -qv "^$CKPT_SELFTESTS_SRC/" <<<"$files"; then
		echo "$ignore_selftests"
	else
		echo "$ignore_kernel"
	fi
}

# CKPT_SERIES_FROM=N builds from patch N on only (the build of N covers
# the patches before it together), for a quick check of the later ones.
from=${CKPT_SERIES_FROM:-1}
i=0
fail=0
for p in "$out"/patches/0*.patch; do
	case $p in */0000-*) continue ;; esac
	i=$((i + 1))
	title=$(sed -n 's/^Subject: \[PATCH[^]]*\] //p' "$p")
	G am -q "$p" || die "patch $i does not apply with git am: $title"
	cp "$config" "$obj/.config"
	log=$out/build-$i.log
	if [ "$i" -lt "$from" ]; then
		built="not built (CKPT_SERIES_FROM=$from)"
	elif make -C "$tree" O="$obj" "${CKPT_KBUILD_VARS[@]}" olddefconfig >"$log" 2>&1 &&
	   make -C "$tree" O="$obj" "${CKPT_KBUILD_VARS[@]}" -j"$(nproc)" bzImage \
		>>"$log" 2>&1; then
		built=builds
		# a warning at any patch is a finding, as checkpatch's are
		if grep -q ': warning: ' "$log"; then
			built="builds with $(grep -c ': warning: ' "$log") warnings (${log#"$CKPT_REPO"/})"
			fail=1
		fi
	else
		built="DOES NOT BUILD (${log#"$CKPT_REPO"/})"
		fail=1
	fi
	cplog=$out/checkpatch-$i.log
	# spdxcheck.py wants the python3 (and ply) deps.sh installed
	if (cd "$tree" && PATH=/usr/bin:$PATH scripts/checkpatch.pl --strict -q \
		--ignore "$(checkpatch_ignore "$p")" "$p") >"$cplog" 2>&1; then
		style="checkpatch clean"
	else
		style="checkpatch: $(grep -c -E '^(ERROR|WARNING|CHECK):' "$cplog") findings"
		style+=" (${cplog#"$CKPT_REPO"/})"
		fail=1
	fi
	say CHECK "$i $title: $built, $style"
done
[ "$fail" = 0 ] || die "series-check: not green at every patch"
if [ "$from" -gt 1 ]; then
	say CHECK "green at every patch from $from (the ones before built together)"
else
	say CHECK "green at every patch"
fi
