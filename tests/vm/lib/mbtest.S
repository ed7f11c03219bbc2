/* mbtest: a tiny multiboot (v1) kernel for tests/vm/boot_multiboot_qemu.sh.
 * It prints on the first serial port the command line and, for each
 * module, its string and first 24 bytes, then leaves QEMU through
 * isa-debug-exit (status 99).  Build: as --32; ld -m elf_i386 -Ttext=0x100000. */
	.set MB_MAGIC, 0x1BADB002
	.set MB_FLAGS, 0x00000003          /* modules page aligned, memory info */
	.text
	.globl _start
	.align 4
mb_header:
	.long MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
_start:
	mov $stack_top, %esp
	mov %ebx, %esi                     /* the multiboot information */
	cmp $0x2BADB002, %eax
	jne fail
	mov $s_hello, %eax
	call puts
	testl $4, (%esi)                   /* flags bit 2: cmdline */
	jz 1f
	mov $s_cmd, %eax
	call puts
	mov 16(%esi), %eax
	call puts
	mov $s_nl, %eax
	call puts
1:	testl $8, (%esi)                   /* flags bit 3: modules */
	jz done
	mov 20(%esi), %ecx
	mov 24(%esi), %edi
2:	test %ecx, %ecx
	jz done
	push %ecx
	mov $s_mod, %eax
	call puts
	mov 8(%edi), %eax
	call puts
	mov $s_sep, %eax
	call puts
	mov (%edi), %eax
	mov $24, %ecx
	call putn
	mov $s_nl, %eax
	call puts
	pop %ecx
	add $16, %edi
	dec %ecx
	jmp 2b
done:
	mov $s_end, %eax
	call puts
	mov $0x31, %al
	out %al, $0xf4                     /* isa-debug-exit */
	cli
3:	hlt
	jmp 3b
fail:
	mov $s_fail, %eax
	call puts
	jmp done

/* puts: the NUL-terminated string at %eax */
puts:
	push %esi
	mov %eax, %esi
4:	lodsb
	test %al, %al
	jz 5f
	call putc
	jmp 4b
5:	pop %esi
	ret

/* putn: %ecx bytes at %eax, '.' for a byte that is not printable */
putn:
	push %esi
	mov %eax, %esi
6:	test %ecx, %ecx
	jz 8f
	lodsb
	cmp $0x20, %al
	jb 7f
	cmp $0x7e, %al
	jbe 9f
7:	mov $'.', %al
9:	call putc
	dec %ecx
	jmp 6b
8:	pop %esi
	ret

/* putc: %al on COM1 */
putc:
	push %edx
	push %eax
	mov $0x3fd, %dx
10:	in %dx, %al
	test $0x20, %al
	jz 10b
	pop %eax
	mov $0x3f8, %dx
	out %al, %dx
	pop %edx
	ret

	.data
s_hello: .asciz "mbtest: multiboot kernel running\n"
s_cmd:   .asciz "mbtest: cmdline: "
s_mod:   .asciz "mbtest: module: "
s_sep:   .asciz " | "
s_nl:    .asciz "\n"
s_end:   .asciz "mbtest: done\n"
s_fail:  .asciz "mbtest: not started by a multiboot loader\n"
	.bss
	.align 16
	.space 4096
stack_top:
