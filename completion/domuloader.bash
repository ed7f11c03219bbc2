# bash completion for domuloader(1); installed by `make install` as
# $(PREFIX)/share/bash-completion/completions/domuloader (and pygrub when
# `make install-pygrub-compat` adds that name).
_domuloader()
{
	local cur prev words cword split
	_init_completion -s || return

	case $prev in
	--output-format)
		COMPREPLY=($(compgen -W 'sxp simple simple0 json xl libvirt qemu' -- "$cur"))
		return ;;
	--format)
		COMPREPLY=($(compgen -W 'raw qcow2' -- "$cur"))
		return ;;
	--guest-type)
		COMPREPLY=($(compgen -W 'pv pvh best' -- "$cur"))
		return ;;
	--output-directory | --tmpdir)
		_filedir -d
		return ;;
	--output | --config | --rewrite-config)
		_filedir
		return ;;
	--runas)
		COMPREPLY=($(compgen -u -- "$cur"))
		return ;;
	--entry | --kernel | --ramdisk | --args | --offset | --disks | --root | \
	--timeout | --max-kernel-size | --max-ramdisk-size)
		return ;;
	esac
	$split && return

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W '
			-q --quiet -i --interactive -l --list-entries -n --not-really --dryrun
			--entry= --kernel= --ramdisk= --args= --output= --output-format=
			--output-directory= --offset= --format= --allow-backing-file
			--list-volumes --disks= --config= --rewrite-config= --root= --isconfig
			--max-kernel-size= --max-ramdisk-size= --runas= --timeout= --no-sandbox
			--mount --cleanup-stale
			--no-grubenv-update
			--sync
			--from-disk --allow-volatile-output
			-v --verbose -h --help --version
			--debug --tmpdir=
			--guest-type= --force --decompress' -- "$cur"))
		[[ ${COMPREPLY-} == *= ]] && compopt -o nospace
		return
	fi
	# ls, cat, copy-out: only as the first argument (see GUEST INSPECTION)
	if [[ $cword == 1 && ${words[0]##*/} == domuloader ]]; then
		COMPREPLY=($(compgen -W 'ls cat copy-out' -- "$cur"))
	fi
	_filedir
} && complete -F _domuloader domuloader pygrub
