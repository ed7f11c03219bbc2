/* How the toolstack starts a domain (dl_domcfg_boot_kind): a bootloader or
 * PV-GRUB or the HVM firmware reading a disk, a dom0 kernel loaded
 * directly, or the network; and xm's drives outside disk = [...]
 * (cdrom=, fda=, fdb=) with the boot letters that pick them. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "domcfg/domcfg.h"
#include "test_domcfg_kind.configs.h"

static enum dl_domboot kind(const char *s, struct dl_domcfg *c)
{
	struct dl_error err = { 0 };
	memset(c, 0, sizeof(*c));
	if (dl_domcfg_parse(c, DL_DIALECT_NONE, "g", s, strlen(s), &err))
		fail_msg("%s", err.msg);
	return dl_domcfg_boot_kind(c);
}

static enum dl_domboot kind_only(const char *s)
{
	struct dl_domcfg c;
	enum dl_domboot k = kind(s, &c);
	dl_domcfg_free(&c);
	return k;
}

/* The vdev of the first disk the bootloader gets, "" when none. */
static const char *first_disk(const struct dl_domcfg *c)
{
	size_t order[DL_DOMCFG_MAX_DISKS];
	size_t n = dl_domcfg_boot_disks(c, order);
	return n ? c->disks[order[0]].vdev : "";
}

/* config xl_pv_kernel:
name = "g"
kernel = "/var/lib/xen/vmlinuz"
ramdisk = "/var/lib/xen/initrd"
extra = "method=http://example.org/os"
disk = [ 'phy:/dev/vg/g,xvda,w' ]
*/

/* config xl_pv_pygrub_hint:
kernel = "/boot/vmlinuz"
bootloader = "pygrub"
disk = [ 'phy:/dev/vg/g,xvda,w' ]
*/

/* config xl_pv_nothing:
disk = [ 'phy:/dev/vg/g,xvda,w' ]
*/

/* config xl_pvgrub_kernel:
kernel = "/usr/lib/xen/boot/pv-grub-x86_64.gz"
extra = "(hd0,0)/grub/menu.lst"
disk = [ 'phy:/dev/vg/g,xvda,w' ]
*/

/* config xl_pvgrub_firmware:
type = "pv"
firmware = "pvgrub64"
disk = [ 'phy:/dev/vg/g,xvda,w' ]
*/

/* config xl_pvh_kernel:
type = "pvh"
kernel = "/boot/vmlinuz"
disk = [ 'phy:/dev/vg/g,xvda,w' ]
*/

/* config xl_hvm_kernel:
type = "hvm"
kernel = "/tmp/vmlinuz"
boot = "c"
disk = [ 'phy:/dev/vg/g,hda,w' ]
*/

/* config xm_hvmloader:
builder = "hvm"
kernel = "/usr/lib/xen/boot/hvmloader"
disk = [ 'phy:/dev/vg/g,ioemu:hda,w' ]
*/

/* config xm_hvm_network:
builder = "hvm"
boot = "nc"
disk = [ 'phy:/dev/vg/g,ioemu:hda,w' ]
*/

/* config xm_pypxeboot:
bootloader = "/usr/bin/pypxeboot"
bootargs = "mac=AA:00:86:e2:35:72"
disk = [ 'file:/root/some.img,xvda,w' ]
*/

static void test_xl(void **s)
{
	(void)s;
	assert_int_equal(kind_only(xl_pv_kernel), DL_DOMBOOT_KERNEL);
	assert_int_equal(kind_only(xl_pv_pygrub_hint), DL_DOMBOOT_DISK);
	assert_int_equal(kind_only(xl_pv_nothing), DL_DOMBOOT_DISK);
	assert_int_equal(kind_only(xl_pvgrub_kernel), DL_DOMBOOT_DISK);
	assert_int_equal(kind_only(xl_pvgrub_firmware), DL_DOMBOOT_DISK);
	assert_int_equal(kind_only(xl_pvh_kernel), DL_DOMBOOT_KERNEL);
	assert_int_equal(kind_only(xl_hvm_kernel), DL_DOMBOOT_KERNEL);
	assert_int_equal(kind_only(xm_hvmloader), DL_DOMBOOT_DISK);
	assert_int_equal(kind_only(xm_hvm_network), DL_DOMBOOT_NETWORK);
	assert_int_equal(kind_only(xm_pypxeboot), DL_DOMBOOT_NETWORK);
}

/* config lv_pv_kernel:
<domain type='xen'>
  <name>g</name>
  <os>
    <type arch='x86_64' machine='xenpv'>linux</type>
    <kernel>/tmp/vmlinuz</kernel>
    <cmdline>method=http://example.org/os</cmdline>
  </os>
  <devices>
    <disk type='file' device='disk'>
      <source file='/img'/>
      <target dev='xvda' bus='xen'/>
    </disk>
  </devices>
</domain>
*/

/* config lv_pv_bootloader:
<domain type='xen'>
  <name>g</name>
  <bootloader>/usr/bin/pygrub</bootloader>
  <os>
    <type>linux</type>
  </os>
</domain>
*/

/* config lv_hvm_cdrom:
<domain type='xen'>
  <name>g</name>
  <os>
    <type>hvm</type>
    <loader>/usr/lib/xen/boot/hvmloader</loader>
    <boot dev='cdrom'/>
  </os>
  <devices>
    <disk type='file' device='disk'>
      <source file='/img'/>
      <target dev='hda' bus='ide'/>
    </disk>
    <disk type='file' device='cdrom'>
      <source file='/iso'/>
      <target dev='hdc' bus='ide'/>
      <readonly/>
    </disk>
  </devices>
</domain>
*/

static void test_libvirt(void **s)
{
	(void)s;
	struct dl_domcfg c;
	assert_int_equal(kind_only(lv_pv_kernel), DL_DOMBOOT_KERNEL);
	assert_int_equal(kind_only(lv_pv_bootloader), DL_DOMBOOT_DISK);
	assert_int_equal(kind(lv_hvm_cdrom, &c), DL_DOMBOOT_DISK);
	assert_string_equal(first_disk(&c), "hdc");
	dl_domcfg_free(&c);
}

/* config sx_pv_kernel:
(domain (name 'pvtest')(image (linux (kernel '/var/lib/xen/vmlinuz')
(args ' method=http://example.org/os  ')))(device (vbd (dev 'xvda')
(uname 'file:/root/some.img')(mode 'w'))))
*/

/* config sx_pvgrub:
(domain (name 'pvtest')(image (linux (kernel '/usr/lib/xen/boot/pv-grub-x86_64.gz')
(args '(hd0,0)/grub/menu.lst')))(device (vbd (dev 'xvda')(uname 'phy:/dev/vg/g')(mode 'w'))))
*/

/* config sx_hvm_kernel:
(domain (name 'fvtest')(image (hvm (kernel '/var/lib/xen/vmlinuz')
(loader '/usr/lib/xen/boot/hvmloader')))(device (vbd (dev 'ioemu:xvda')
(uname 'file:/root/some.img')(mode 'w'))))
*/

/* config sx_pypxeboot:
(domain (name 'pvtest')(bootloader '/usr/bin/pypxeboot')
(bootloader_args 'mac=AA:00:86:e2:35:72')(device (vbd (dev 'xvda')
(uname 'file:/root/some.img')(mode 'w'))))
*/

static void test_sexpr(void **s)
{
	(void)s;
	assert_int_equal(kind_only(sx_pv_kernel), DL_DOMBOOT_KERNEL);
	assert_int_equal(kind_only(sx_pvgrub), DL_DOMBOOT_DISK);
	assert_int_equal(kind_only(sx_hvm_kernel), DL_DOMBOOT_KERNEL);
	assert_int_equal(kind_only(sx_pypxeboot), DL_DOMBOOT_NETWORK);
}

/* config xm_old_cdrom:
builder = "hvm"
kernel = "/usr/lib/xen/boot/hvmloader"
boot = "d"
cdrom = "/root/boot.iso"
disk = [ "phy:/dev/HostVG/XenGuest2,ioemu:hda,w" ]
*/

/* config xm_floppy:
builder = "hvm"
boot = "a"
fda = "/root/floppy.img"
fdb = ""
disk = [ "phy:/dev/vg/g,ioemu:hda,w" ]
*/

/* config xm_pv_cdrom:
bootloader = "pygrub"
cdrom = "/root/boot.iso"
disk = [ "phy:/dev/vg/g,xvda,w" ]
*/

static void test_xm_drives(void **s)
{
	(void)s;
	struct dl_domcfg c;
	/* cdrom = with boot = "d": the ISO, as hdc, read-only, alone */
	assert_int_equal(kind(xm_old_cdrom, &c), DL_DOMBOOT_DISK);
	assert_int_equal(c.ndisks, 2);
	assert_string_equal(c.disks[1].target, "/root/boot.iso");
	assert_string_equal(c.disks[1].vdev, "hdc");
	assert_true(c.disks[1].cdrom);
	assert_int_equal(c.disks[1].access, DL_ACCESS_RO);
	size_t order[4];
	assert_int_equal(dl_domcfg_boot_disks(&c, order), 1);
	assert_string_equal(c.disks[order[0]].vdev, "hdc");
	/* boot = "c" (or none): the hard disk */
	c.boot[0] = 'c';
	assert_string_equal(first_disk(&c), "hda");
	c.boot[0] = '\0';
	assert_string_equal(first_disk(&c), "hda");
	dl_domcfg_free(&c);
	/* fda: a floppy booted with boot = "a"; an empty fdb is no drive */
	kind(xm_floppy, &c);
	assert_int_equal(c.ndisks, 2);
	assert_true(c.disks[1].floppy);
	assert_string_equal(first_disk(&c), "fda");
	dl_domcfg_free(&c);
	/* PV: xend hands cdrom= to the device model only for HVM */
	kind(xm_pv_cdrom, &c);
	assert_int_equal(c.ndisks, 1);
	assert_string_equal(first_disk(&c), "xvda");
	dl_domcfg_free(&c);
}

static void test_bootloader_ours(void **s)
{
	(void)s;
	assert_true(dl_domcfg_bootloader_ours("/usr/bin/pygrub"));
	assert_true(dl_domcfg_bootloader_ours("pygrub"));
	assert_true(dl_domcfg_bootloader_ours("/usr/lib/xen/bin/domuloader"));
	assert_true(dl_domcfg_bootloader_ours("/usr/lib/xen/boot/domUloader.py"));
	assert_false(dl_domcfg_bootloader_ours("/usr/bin/pypxeboot"));
	assert_false(dl_domcfg_bootloader_ours("/usr/bin/pygrub2"));
	assert_string_equal(dl_domcfg_basename("/a/b"), "b");
	assert_string_equal(dl_domcfg_basename("b"), "b");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xl),
		cmocka_unit_test(test_libvirt),
		cmocka_unit_test(test_sexpr),
		cmocka_unit_test(test_xm_drives),
		cmocka_unit_test(test_bootloader_ours),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
