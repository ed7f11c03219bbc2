# Assembles an initramfs tree at test time (sourced by run-in-vm.sh and the
# Xen bed).  Needs the cache of scripts/fetch-debs.sh: variables from its env
# file (ROOT KVER VMLINUZ MODDIR XEN BUSYBOX) must be set.
#
#   ird_new DIR                 empty tree with static busybox and its applets
#   ird_modules DIR NAME...     kernel modules plus their dependencies; the load
#                               order is appended to DIR/etc/dl-modules
#   ird_file DIR HOST [GUEST]   a file or directory; every ELF file in it gets
#                               its interpreter and shared libraries (ldd)
#   ird_pack DIR OUT            newc cpio archive (uncompressed: faster to
#                               unpack under TCG than gzip)
# Libraries that ldd finds under $ROOT (the unpacked packages) are placed at
# the same path with $ROOT stripped; LD_LIBRARY_PATH for ldd includes the
# library directories of $ROOT.

ird_die() { echo "initramfs: $*" >&2; exit 125; }

ird_new() {
	local d=$1 a
	rm -rf "$d"
	mkdir -p "$d"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,run,root,var/log,var/run,var/lib,lib64}
	cp "$BUSYBOX" "$d/bin/busybox"
	for a in $("$BUSYBOX" --list); do
		[ "$a" = busybox ] && continue
		[ -e "$d/bin/$a" ] || ln -s busybox "$d/bin/$a"
	done
	: > "$d/etc/dl-modules"
	echo 'root:x:0:0:root:/root:/bin/sh' > "$d/etc/passwd"
	echo 'root:x:0:' > "$d/etc/group"
}

# _ird_moddeps REL: REL and its dependencies, dependencies first (modules.dep
# lists each module's full closure).
_ird_modpath() { # NAME -> relative path in modules.dep, '-' and '_' alike
	local n
	n=$(printf '%s' "$1" | sed 's/[-_]/[-_]/g')
	grep -E "(^|/)${n}\.ko(\.xz|\.zst|\.gz)?:" "$MODDIR/modules.dep" | head -1 | cut -d: -f1
}

ird_modules() {
	local d=$1 m rel deps x
	shift
	for m in "$@"; do
		rel=$(_ird_modpath "$m")
		if [ -z "$rel" ]; then
			grep -qE "/$(printf '%s' "$m" | sed 's/[-_]/[-_]/g')\.ko" "$MODDIR/modules.builtin" && continue
			ird_die "no kernel module $m in $MODDIR"
		fi
		deps=$(grep -E "^${rel}:" "$MODDIR/modules.dep" | cut -d: -f2)
		# modules.dep lists the closure with direct dependencies first:
		# load it in reverse.
		local list=()
		for x in $deps; do list=("$x" "${list[@]}"); done
		list+=("$rel")
		for x in "${list[@]}"; do
			grep -qxF "/lib/modules/$KVER/$x" "$d/etc/dl-modules" && continue
			mkdir -p "$d/lib/modules/$KVER/$(dirname "$x")"
			cp "$MODDIR/$x" "$d/lib/modules/$KVER/$x"
			echo "/lib/modules/$KVER/$x" >> "$d/etc/dl-modules"
		done
	done
}

_ird_ldpath() {
	local p="" x
	for x in "$ROOT/usr/lib/x86_64-linux-gnu" "$ROOT/lib/x86_64-linux-gnu" \
		"$ROOT/usr/lib/xen-4.17/lib/x86_64-linux-gnu" ${DL_VM_LIBPATH:-}; do
		[ -d "$x" ] && p=$p${p:+:}$x
	done
	echo "$p"
}

# _ird_dest HOSTPATH: where a library found by ldd goes in the tree.
_ird_dest() {
	case $1 in
	"$ROOT"/*) echo "${1#"$ROOT"}" ;;
	*) echo "$1" ;;
	esac
}

_ird_elfdeps() { # DIR FILE
	local d=$1 f=$2 line lib dest
	LD_LIBRARY_PATH=$(_ird_ldpath) ldd "$f" 2>/dev/null | while read -r line; do
		case $line in
		*"not found"*) echo "initramfs: $f: $line" >&2; echo FAIL ;;
		*"=> /"*) lib=${line#*=> }; lib=${lib%% (*}; echo "$lib" ;;
		/*) lib=${line%% (*}; echo "$lib" ;;
		esac
	done | while read -r lib; do
		[ "$lib" = FAIL ] && { echo FAIL; continue; }
		dest=$d$(_ird_dest "$lib")
		[ -e "$dest" ] && continue
		mkdir -p "$(dirname "$dest")"
		cp -L "$lib" "$dest"
	done | grep -q FAIL && return 1
	return 0
}

_ird_is_elf() { [ "$(head -c 4 "$1" 2>/dev/null | od -An -c | tr -d ' ')" = '177ELF' ]; }

ird_file() {
	local d=$1 src=$2 dst=${3:-} f
	[ -n "$dst" ] || dst=$(_ird_dest "$src")
	[ -e "$src" ] || ird_die "$src: no such file"
	mkdir -p "$d$(dirname "$dst")"
	if [ -d "$src" ]; then
		mkdir -p "$d$dst"
		cp -a "$src/." "$d$dst/"
		while IFS= read -r f; do
			_ird_is_elf "$f" || continue
			_ird_elfdeps "$d" "$f" || ird_die "$f: missing shared libraries"
		done < <(find "$src" -type f)
	else
		cp -L "$src" "$d$dst"
		if _ird_is_elf "$src"; then
			_ird_elfdeps "$d" "$src" || ird_die "$src: missing shared libraries"
		fi
	fi
}

ird_pack() {
	(cd "$1" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet) > "$2" ||
		ird_die "cpio failed"
}
