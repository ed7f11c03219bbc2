/* The parsing side of an extraction: plan the boot (hints, domUloader
 * entry, boot configurations, fallback), stream the chosen files through
 * the sink, send the result.  Where files are is the guest view's
 * business (src/guest).  Runs in the sandboxed child (or in-process with
 * --no-sandbox). */
#include "flow.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "boot/boot.h"
#include "guest/guest.h"
#include "guest/osrelease.h"
#include "inspect.h"
#include "kernel/kernel.h"
#include "flow_menu.h"
#include "flow_uki.h"
#include "modes.h"
#include "mount/mount.h"

/* The default and the fallbacks tried (GRUB legacy keeps at most 8). */
#define DL_BOOT_MAX_FALLBACKS_TRIED 65

/* One run of the pipeline. */
struct flow {
	const struct dl_request *req;
	const struct dl_sink *sink;
	struct dl_guest g;
};

/* What to boot: where each file is, and what the result says. */
struct plan {
	struct dl_located kernel;
	struct dl_located *initrds;
	size_t ninitrds, capinitrds;
	struct dl_located *modules;   /* multiboot: the modules, each with its command line */
	char **module_args;
	size_t nmodules;
	char *args;
	char *title, *id, *config, *format;
	int index;                /* pygrub's flattened index, -1 without a configuration */
	bool edited;              /* in the boot menu */
};

static void plan_free(struct plan *p)
{
	free(p->kernel.path);
	for (size_t i = 0; i < p->ninitrds; i++)
		free(p->initrds[i].path);
	free(p->initrds);
	for (size_t i = 0; i < p->nmodules; i++) {
		free(p->modules[i].path);
		free(p->module_args[i]);
	}
	free(p->modules);
	free(p->module_args);
	free(p->args);
	free(p->title);
	free(p->id);
	free(p->config);
	free(p->format);
	*p = (struct plan){ .index = -1 };
}

static char *join_args(const char *a, const char *b)
{
	if (!b || !*b)
		return dl_strdup(a ? a : "");
	if (!a || !*a)
		return dl_strdup(b);
	return dl_asprintf("%s %s", a, b);
}

/* Append the initrd bp names, as the configuration on v means it. */
static int add_initrd(struct flow *f, struct dl_volume *v, const struct dl_boot_path *bp,
		      const char *what, struct plan *p, struct dl_error *err)
{
	struct dl_located *l = dl_array_push(&p->initrds, &p->ninitrds, &p->capinitrds, sizeof(*l));
	return dl_guest_locate(&f->g, v, bp, what, l, err);
}

/* A multiboot entry's modules, in order, each a payload of its own. */
static int plan_modules(struct flow *f, struct dl_volume *v, const struct dl_boot_config *cfg,
			const struct dl_boot_entry *e, struct plan *p, struct dl_error *err)
{
	const char *title = e->title ? e->title : "(untitled)";
	if (e->nmodules > DL_PAYLOAD_MODULES_MAX)
		return dl_fail(err, DL_ELIMIT, "%s:%s: entry '%s' has %zu modules (at most %u)", v->name,
			       cfg->path, title, e->nmodules, DL_PAYLOAD_MODULES_MAX);
	p->modules = dl_calloc(e->nmodules + 1, sizeof(*p->modules));
	p->module_args = dl_calloc(e->nmodules + 1, sizeof(char *));
	for (size_t i = 0; i < e->nmodules; i++) {
		struct dl_error le = { 0 };
		p->module_args[i] = dl_strdup(e->module_args[i] ? e->module_args[i] : "");
		p->nmodules = i + 1;
		if (dl_guest_locate(&f->g, v, &e->modules[i], "module", &p->modules[i], &le) < 0)
			return dl_fail(err, le.code, "%s:%s: entry '%s': module %zu: %s", v->name,
				       cfg->path, title, i + 1, le.msg);
	}
	return 0;
}

/* A unified kernel image as the entry's kernel (BLS type #2, "uki" or
 * "linux x.efi" in a type #1 entry, GRUB's linux): systemd-stub boots its
 * .linux with its .initrd before the entry's initrds, and its .cmdline
 * unless the loader passes options (which it honours without Secure Boot,
 * as in a guest). */
static int plan_uki(struct flow *f, const struct dl_boot_entry *e, struct plan *p,
		    struct dl_error *err)
{
	struct dl_located k, rd;
	_cleanup_free_ char *cmdline = NULL;
	int r = dl_flow_uki(&p->kernel, &k, &rd, &cmdline, err);
	if (r <= 0)
		return r;
	dl_info("%s:%s: a unified kernel image: the kernel is its .linux%s%s", p->kernel.fs->vol->name,
		p->kernel.path, rd.path ? ", the first initrd its .initrd" : "",
		cmdline && (!e->args || !*e->args) ? ", the command line its .cmdline" : "");
	free(p->kernel.path);
	p->kernel = k;
	if (rd.path) {
		dl_array_push(&p->initrds, &p->ninitrds, &p->capinitrds, sizeof(rd));
		memmove(&p->initrds[1], &p->initrds[0], (p->ninitrds - 1) * sizeof(rd));
		p->initrds[0] = rd;
	}
	if (cmdline && (!e->args || !*e->args)) {
		free(p->args);
		p->args = join_args(cmdline, f->req->args);
	}
	return 0;
}

/* Entry idx of the configuration cfg found on volume v. */
static int plan_entry(struct flow *f, struct dl_volume *v, const struct dl_boot_config *cfg,
		      int idx, struct plan *p, struct dl_error *err)
{
	const struct dl_boot_entry *e = &cfg->entries[idx];
	const char *title = e->title ? e->title : "(untitled)";
	bool mb = e->kind == DL_ENTRY_MULTIBOOT;
	if ((e->kind != DL_ENTRY_LINUX && !mb) || !e->kernel.path)
		return dl_fail(err, DL_EUNSUPPORTED, "%s:%s: entry '%s' has no Linux kernel to boot",
			       v->name, cfg->path, title);
	if (e->ninitrds > DL_BOOT_MAX_INITRDS)
		return dl_fail(err, DL_ELIMIT, "%s:%s: entry '%s': more than %d initrds", v->name, cfg->path,
			       title, DL_BOOT_MAX_INITRDS);
	struct dl_error le = { 0 };
	int r = mb ? plan_modules(f, v, cfg, e, p, err) : 0;
	if (r < 0)
		return r;
	if (dl_guest_locate(&f->g, v, &e->kernel, "kernel", &p->kernel, &le) < 0)
		return dl_fail(err, le.code, "%s:%s: entry '%s': kernel %s", v->name, cfg->path, title,
			       le.msg);
	for (size_t i = 0; i < e->ninitrds; i++)
		if (add_initrd(f, v, &e->initrds[i], "initrd", p, &le) < 0)
			return dl_fail(err, le.code, "%s:%s: entry '%s': initrd %s", v->name, cfg->path,
				       title, le.msg);
	p->args = join_args(e->args, f->req->args);
	if (!mb && (r = plan_uki(f, e, p, err)) < 0)
		return r;
	p->title = e->title ? dl_strdup(e->title) : NULL;
	p->id = e->id ? dl_strdup(e->id) : NULL;
	p->config = dl_asprintf("%s:%s", v->name, cfg->path);
	p->format = dl_strdup(cfg->format);
	p->index = dl_boot_flat_index(cfg, idx);
	return 0;
}

/* The same, the entry's own command line known to the guest view while its
 * files are located (its rootflags=subvol= names the root subvolume). */
static int plan_from_entry(struct flow *f, struct dl_volume *v, const struct dl_boot_config *cfg,
			   int idx, struct plan *p, struct dl_error *err)
{
	const char *known = f->g.cmdline;
	_cleanup_free_ char *cl = join_args(cfg->entries[idx].args, f->req->args);
	f->g.cmdline = cl;
	int r = plan_entry(f, v, cfg, idx, p, err);
	f->g.cmdline = known;
	return r;
}

/* The entry the user picks (or edits) in the boot menu. */
static int plan_from_menu(struct flow *f, struct dl_volume *v, struct dl_boot_config *cfg,
			  struct plan *p, struct dl_error *err)
{
	int flat = -1;
	size_t n = cfg->nentries;
	int idx = dl_flow_menu(&f->g, v, f->sink, cfg, &flat, err);
	int r = idx < 0 ? idx : plan_from_entry(f, v, cfg, idx, p, err);
	p->index = flat;
	p->edited = idx >= (int)n;   /* an entry added for the edited choice */
	return r;
}

/* --kernel given: no configuration; the first volume holding the kernel
 * as a regular file, else the path as the running guest sees it (through
 * its fstab, symlinks across its mounts followed: /vmlinuz with /boot
 * separate); the ramdisk located from there. */
static int plan_from_hints(struct flow *f, struct plan *p, struct dl_error *err)
{
	const struct dl_request *req = f->req;
	struct dl_error first = { 0 };
	struct dl_volume *v = NULL;
	for (size_t i = 0; i < f->g.set->nvols && !v; i++) {
		struct dl_fs *fs = dl_guest_fs(&f->g, &f->g.set->vols[i]);
		struct dl_stat st;
		if (fs && dl_fs_stat(fs, req->kernel, &st, NULL) == 0 &&
		    dl_guest_take(&p->kernel, fs, req->kernel, &st, &first) == 0)
			v = &f->g.set->vols[i];
		else if (fs)
			dl_info("%s: no kernel %s", f->g.set->vols[i].name, req->kernel);
	}
	struct dl_error le = { 0 };
	if (!v && !first.code && req->kernel[0] == '/' &&
	    dl_guest_locate_running(&f->g, req->kernel, &v, &p->kernel, &le) != 0) {
		v = NULL;
		if (le.code != DL_ENOTFOUND)   /* "no such file in xvda2" said below for all */
			first = le;
	}
	if (!v && first.code)
		return dl_fail(err, first.code, "%s", first.msg);
	if (!v)
		return dl_fail(err, DL_ENOTFOUND, "%s: kernel %s not found on any volume",
			       f->g.set->disks[0]->path, req->kernel);
	struct dl_boot_path rp = { .path = (char *)req->ramdisk };
	int r = req->ramdisk && *req->ramdisk ? add_initrd(f, v, &rp, "ramdisk", p, err) : 0;
	if (r < 0)
		return r;
	p->args = dl_strdup(req->args ? req->args : "");
	p->index = -1;
	return 0;
}

/* domUloader's --entry=[dev:]kernel[,initrd]: no configuration needed.
 * Without a device the paths are the running guest's, resolved from the
 * root volume (--root, or the volume holding /etc/fstab) through fstab. */
static int plan_from_domu(struct flow *f, struct plan *p, struct dl_error *err)
{
	const char *entry = f->req->entry;
	_cleanup_(dl_domu_entry_free) struct dl_domu_entry de = { 0 };
	int r = dl_domu_entry_parse(entry, &de, err);
	if (r < 0)
		return r;
	struct dl_volume *v = NULL;
	struct dl_boot_path kp = { .dev = de.dev, .path = de.kernel };
	struct dl_error le = { 0 };
	if (de.dev) {
		v = dl_diskset_find_name(f->g.set, de.dev);
		if (!v)
			return dl_fail(err, DL_ENOTFOUND, "--entry=%s: partition %s does not exist", entry,
				       de.dev);
		r = dl_guest_locate(&f->g, v, &kp, "kernel", &p->kernel, &le);
	} else {
		r = dl_guest_locate_running(&f->g, de.kernel, &v, &p->kernel, &le);
		if (r == DL_ABSENT)
			return dl_fail(err, DL_ENOTFOUND, "--entry=%s: kernel %s not found on any volume",
				       entry, de.kernel);
	}
	if (r < 0)
		return dl_fail(err, le.code, "--entry=%s: kernel %s", entry, le.msg);
	struct dl_boot_path rp = { .dev = de.dev, .path = de.initrd };
	if (de.initrd && add_initrd(f, v, &rp, "initrd", p, &le) < 0)
		return dl_fail(err, le.code, "--entry=%s: initrd %s", entry, le.msg);
	p->args = dl_strdup(f->req->args ? f->req->args : "");
	p->format = dl_strdup("domu");
	p->index = -1;
	return 0;
}

/* No configuration anywhere: the newest vmlinuz-V with the initrd of the
 * same version, said in a warning.  The root volume is tried first.
 * DL_ABSENT when no volume has a kernel either. */
static int plan_from_fallback(struct flow *f, struct plan *p, struct dl_error *err)
{
	struct dl_guest *g = &f->g;
	const struct dl_fstab *t = dl_guest_fstab(g);
	struct dl_volume *v;
	_cleanup_(dl_boot_config_free) struct dl_boot_config cfg = { .def = -1, .fallback = -1,
								     .timeout = -1 };
	if (dl_mode_fallback(g, &v, &cfg) != 0)
		return DL_ABSENT;
	const struct dl_boot_entry *be = &cfg.entries[0];
	dl_warn("%s: no boot configuration found; using the newest kernel %s%s%s", v->name,
		be->kernel.path, be->ninitrds ? " with " : " without an initrd",
		be->ninitrds ? be->initrds[0].path : "");
	int r = plan_from_entry(f, v, &cfg, 0, p, err);
	const struct dl_fstab_entry *re = t ? dl_fstab_find(t, "/") : NULL;
	if (r == 0 && (!f->req->args || !*f->req->args) && re) {
		/* no command line known: root= from the guest's fstab */
		free(p->args);
		p->args = dl_asprintf("root=%s ro", re->spec);
	}
	return r;
}

/* What GRUB's save_env calls write when it boots entry idx of the
 * configuration just parsed on v (grub-reboot's next_entry cleared,
 * savedefault's saved_entry), written in place by the privileged side.  A
 * block that cannot be written changes nothing else: GRUB boots the same
 * entry when save_env fails. */
static void update_grubenv(struct flow *f, struct dl_volume *v, int idx)
{
	struct dl_grubenv_write w;
	struct dl_error e = { 0 };
	int r = dl_guest_grubenv(&f->g, v, idx, &w, &e);
	if (r == DL_ABSENT)
		return;
	const char *why = r < 0 ? NULL
			  : f->req->no_grubenv_update ? "--no-grubenv-update"
			  : f->req->mode != DL_MODE_EXTRACT ? "-n"
			  : NULL;
	for (size_t i = 0; r == 0 && !why && i < w.nranges; i++)
		if (f->g.set->disks[w.ranges[i].disk]->readonly)
			why = "the disk is given read-only";
	if (why) {
		dl_info("%s: GRUB would write %s; not written (%s)", w.where, w.what, why);
	} else if (r == 0) {
		size_t len;
		_cleanup_free_ uint8_t *req = dl_grubenv_request(&w, &len);
		struct dl_reply rep = { .fd = -1 };
		r = f->sink->call ? f->sink->call(f->sink->ctx, DL_CALL_GRUBENV, req, len, NULL, &rep, &e)
				  : dl_fail(&e, DL_EUNSUPPORTED, "no privileged side to write it");
		dl_reply_free(&rep);
		if (r == 0)
			dl_info("%s: wrote %s, as GRUB's save_env does", w.where, w.what);
	}
	if (r < 0)
		dl_warn("GRUB environment block not updated: %s; booting the entry GRUB boots when "
			"save_env fails", e.msg);
	dl_grubenv_write_free(&w);
}

/* The default entry idx cannot be booted (e->msg says why): GRUB tries
 * its fallback entries in order (grub_menu_execute_with_fallback in
 * grub-core/normal/menu.c), so do we, for a kernel or initrd that cannot
 * be found or read.  0 with the plan of the first that can, else the
 * default's error is kept in e. */
static int plan_fallbacks(struct flow *f, struct dl_volume *v, const struct dl_boot_config *cfg,
			  int idx, struct plan *p, struct dl_error *e)
{
	int tried[DL_BOOT_MAX_FALLBACKS_TRIED];
	size_t n = 0;
	tried[n++] = idx;
	for (int fb; n < DL_ARRAY_SIZE(tried) && (fb = dl_boot_next_fallback(cfg, tried, n)) >= 0;) {
		tried[n++] = fb;
		const struct dl_boot_entry *be = &cfg->entries[fb];
		dl_info("%s; trying fallback entry '%s', as GRUB does", e->msg,
			be->title ? be->title : "(untitled)");
		struct dl_error fe = { 0 };
		if (plan_from_entry(f, v, cfg, fb, p, &fe) == 0) {
			update_grubenv(f, v, fb);
			return 0;
		}
		plan_free(p);
		dl_info("%s", fe.msg);
	}
	return -1;
}

/* The first boot configuration, in volume order, whose chosen entry can be
 * planned.  DL_ABSENT when no volume has a configuration. */
static int plan_from_configs(struct flow *f, struct plan *p, struct dl_error *err)
{
	struct dl_guest *g = &f->g;
	struct dl_error first = { 0 };
	bool any_fs = false;
	for (size_t i = 0; i < g->set->nvols; i++) {
		struct dl_volume *v = &g->set->vols[i];
		if (!dl_guest_fs(g, v))
			continue;
		any_fs = true;
		struct dl_guest_io gio;
		_cleanup_(dl_boot_config_free) struct dl_boot_config cfg = { .def = -1, .fallback = -1,
									     .timeout = -1 };
		struct dl_error e = { 0 };
		dl_guest_io_init(&gio, g, v);
		int found = dl_boot_find(&gio.io, &cfg, &e);
		if (found == DL_ABSENT && !e.code)
			dl_info("%s: no boot configuration (GRUB 2, BLS, syslinux or GRUB legacy)", v->name);
		if (found == 0) {
			dl_info("%s: %s configuration %s", v->name, cfg.format, cfg.path);
			if (f->req->menu)   /* the user's choice: its failure is the answer */
				return plan_from_menu(f, v, &cfg, p, err);
			int idx = dl_boot_select(&cfg, f->req->entry, &e);
			if (idx < 0 && cfg.path && !strncmp(e.msg, cfg.path, strlen(cfg.path))) {
				/* the volume too: "xvda1:/grub/grub.cfg: ..." */
				_cleanup_free_ char *m = dl_asprintf("%s:%s", v->name, e.msg);
				snprintf(e.msg, sizeof(e.msg), "%s", m);
			}
			if (idx >= 0 && plan_from_entry(f, v, &cfg, idx, p, &e) == 0) {
				update_grubenv(f, v, idx);
				return 0;
			}
			plan_free(p);
			if (idx >= 0 && !f->req->entry && plan_fallbacks(f, v, &cfg, idx, p, &e) == 0)
				return 0;
		}
		if (e.code && !first.code)
			first = e;
		if (e.code)
			dl_info("%s: %s", v->name, e.msg);
	}
	if (first.code)
		return dl_fail(err, first.code, "%s", first.msg);
	if (!any_fs)
		return dl_fail(err, DL_ENOTFOUND, "%s: no volume holds a filesystem domuloader can read",
			       g->set->disks[0]->path);
	return DL_ABSENT;
}

static int plan_boot(struct flow *f, struct plan *p, struct dl_error *err)
{
	const struct dl_request *req = f->req;
	if (req->kernel && *req->kernel)
		return plan_from_hints(f, p, err);
	if (req->entry && dl_domu_entry_like(req->entry))
		return plan_from_domu(f, p, err);
	int r = plan_from_configs(f, p, err);
	if (r == DL_ABSENT && !req->entry)
		r = plan_from_fallback(f, p, err);
	if (r == DL_ABSENT)
		return dl_fail(err, DL_ENOTFOUND, "%s: no partition holds a boot configuration or kernel",
			       f->g.set->disks[0]->path);
	return r;
}

/* A configuration evaluated after a lookup budget ran out may have chosen
 * on wrong answers ("[ -f ]" false for a file that exists): the run fails,
 * naming the budget, rather than boot or list what they chose. */
static int check_budgets(struct flow *f, struct dl_error *err)
{
	for (size_t i = 0; i < f->g.set->nvols; i++)
		if (f->g.state[i] == 1 && f->g.fs[i] && dl_fs_budget_spent(f->g.fs[i]))
			return dl_fail(err, DL_ELIMIT, "%s: %s " DL_FS_BUDGET_SIZE, f->g.set->vols[i].name,
				       DL_FS_BUDGET_SPENT, DL_FS_BUDGET_SIZE_ARGS);
	return 0;
}

/* ---- emitting files --------------------------------------------------- */

static int sink_data(void *ctx, const void *buf, size_t len)
{
	const struct dl_sink *sink = ctx;
	return sink->data(sink->ctx, buf, len) < 0 ? -EPIPE : 0;
}

static int sink_copy(void *ctx, struct dl_disk *disk, uint64_t off, uint64_t len)
{
	const struct dl_sink *sink = ctx;
	return sink->copy(sink->ctx, disk->index, off, len) < 0 ? -EPIPE : 0;
}

static void *sink_buffer(void *ctx, size_t *len)
{
	const struct dl_sink *sink = ctx;
	return sink->buffer ? sink->buffer(sink->ctx, len) : NULL;
}

/* One guest file into the payload begun; *total counts the payload's
 * bytes so far, against cap. */
static int emit_file(const struct dl_sink *sink, const struct dl_located *l,
		     enum dl_payload_kind kind, uint64_t cap, uint64_t *total, struct dl_error *err)
{
	uint64_t sum;
	if (ckd_add(&sum, *total, dl_located_size(l)) || sum > cap)
		return dl_fail(err, DL_ELIMIT, "%s: %s %s%s is larger than the %llu MiB limit (%s)",
			       l->fs->vol->name, dl_payload_kind_name[kind], l->path,
			       *total ? " (with the initrds before it)" : "", (unsigned long long)(cap >> 20),
			       kind == DL_PAYLOAD_KERNEL ? "--max-kernel-size" : "--max-ramdisk-size");
	*total = sum;
	return dl_flow_emit(sink, l, err);
}

int dl_flow_emit(const struct dl_sink *sink, const struct dl_located *l, struct dl_error *err)
{
	struct dl_fs_stream out = { (void *)sink, sink_data, sink_copy, sink_buffer };
	return dl_located_stream(l, &out, err);   /* a UKI's section, or the whole file */
}

static int out_data(void *ctx, const void *buf, size_t len, struct dl_error *err)
{
	const struct dl_sink *sink = ctx;
	if (sink->data(sink->ctx, buf, len) < 0)
		return dl_fail(err, DL_EOUTPUT, "kernel: cannot write the output");
	return 0;
}

/* --decompress: the ELF inside the kernel, as data (no extent of a disk
 * holds it), within the kernel cap. */
static int emit_decompressed(struct flow *f, const struct plan *p, struct dl_error *err)
{
	_cleanup_free_ char *name = dl_asprintf("%s:%s", p->kernel.fs->vol->name, p->kernel.path);
	struct dl_kernel_report rep;
	return dl_inspect_file(&p->kernel, name, f->req->max_kernel, false, out_data, (void *)f->sink,
			       &rep, err) < 0 ? -dl_code_errno(err->code) : 0;
}

/* The kernel, then the initrds concatenated into one ramdisk, then each
 * multiboot module in its own file. */
static int send_payload(struct flow *f, const struct plan *p, struct dl_error *err)
{
	const struct dl_sink *s = f->sink;
	uint64_t total = 0;
	int r = s->begin(s->ctx, DL_PAYLOAD_KERNEL);
	if (r == 0)
		r = f->req->decompress ? emit_decompressed(f, p, err)
				       : emit_file(s, &p->kernel, DL_PAYLOAD_KERNEL, f->req->max_kernel,
						   &total, err);
	if (r < 0 || (r = s->end(s->ctx)) < 0)
		return r;
	if (p->ninitrds) {
		total = 0;
		if ((r = s->begin(s->ctx, DL_PAYLOAD_RAMDISK)) < 0)
			return r;
		for (size_t i = 0; i < p->ninitrds; i++)
			if ((r = emit_file(s, &p->initrds[i], DL_PAYLOAD_RAMDISK, f->req->max_ramdisk,
					   &total, err)) < 0)
				return r;
		if ((r = s->end(s->ctx)) < 0)
			return r;
	}
	for (size_t i = 0; i < p->nmodules; i++) {
		total = 0;
		if ((r = s->begin(s->ctx, DL_PAYLOAD_MODULE)) < 0 ||
		    (r = emit_file(s, &p->modules[i], DL_PAYLOAD_MODULE, f->req->max_ramdisk, &total,
				   err)) < 0 || (r = s->end(s->ctx)) < 0)
			return r;
	}
	return 0;
}

/* What booted the entry p names, for messages: "config: entry 'T'". */
static char *plan_name(const struct plan *p)
{
	if (p->config)
		return dl_asprintf("%s: entry '%s'", p->config, p->title ? p->title : "(untitled)");
	return dl_strdup(p->format ? "--entry" : "--kernel");
}

/* The guest type asked, checked against what the kernel is: the type to
 * report ("pv", "pvh", or NULL when none was asked), or a failure naming
 * the entry and what the kernel lacks (--force: a warning). */
static int check_guest_type(struct flow *f, const struct plan *p, const char *kname,
			    const struct dl_kernel_report *rep, const char **type,
			    struct dl_error *err)
{
	enum dl_guest_type t = f->req->guest_type;
	*type = NULL;
	if (t == DL_GUEST_ANY)
		return 0;
	if (f->req->guest_type_cfg && !strcmp(rep->format, "unknown")) {
		dl_info("%s: not a kernel image; the domain's type is not checked", kname);
		return 0;
	}
	if (t == DL_GUEST_BEST)
		t = rep->xen_pvh ? DL_GUEST_PVH : DL_GUEST_PV;
	bool pvh = t == DL_GUEST_PVH;
	*type = pvh ? "pvh" : "pv";
	if (pvh ? rep->xen_pvh : rep->xen_pv)
		return 0;
	const char *why = pvh ? rep->why_not_pvh : rep->why_not_pv;
	_cleanup_free_ char *entry = plan_name(p);
	if (f->req->force) {
		dl_warn("%s: kernel %s cannot boot as a %s guest: %s; booting it anyway (--force)", entry,
			kname, pvh ? "PVH" : "PV", why[0] ? why : "not a Xen kernel");
		return 0;
	}
	return dl_fail(err, DL_EUNSUPPORTED, "%s: kernel %s cannot boot as a %s guest: %s "
		       "(--force boots it anyway)", entry, kname, pvh ? "PVH" : "PV",
		       why[0] ? why : "not a Xen kernel");
}

/* What the kernel is, for the result, -v and the guest type check.  A
 * kernel that cannot be inspected (a corrupt stream) fails only when a
 * guest type is to be checked (and not forced) or --decompress is asked.
 * Its Xen notes are read only when something shows or checks them (a
 * guest type, JSON, -v): libxl's own runs ask for neither, and reaching
 * the notes of an xz kernel costs more than everything else a boot does. */
static int inspect_kernel(struct flow *f, const struct plan *p, const char *kname,
			  struct dl_kernel_report *rep, const char **type, struct dl_error *err)
{
	struct dl_error e = { 0 };
	bool notes = f->req->guest_type != DL_GUEST_ANY || f->req->json || dl_log_level() >= DL_LOG_INFO;
	if (dl_inspect_file(&p->kernel, kname, 0, !notes, NULL, NULL, rep, &e) < 0) {
		if ((f->req->guest_type != DL_GUEST_ANY && !f->req->force) || f->req->decompress)
			return dl_fail(err, e.code, "%s", e.msg);
		dl_info("%s", e.msg);
		rep->xen_pv = rep->xen_pvh = false;
	}
	struct dl_sbuf b = { 0 };
	dl_inspect_summary(&b, rep);
	dl_info("%s: %s", kname, dl_sbuf_str(&b));
	dl_sbuf_free(&b);
	return check_guest_type(f, p, kname, rep, type, err);
}

static int send_result(struct flow *f, const struct plan *p, const char *kernel,
		       const struct dl_kernel_report *rep, const char *type)
{
	struct dl_osinfo os = { 0 };   /* what the guest is, only JSON shows it: never a failure */
	if (f->req->json)
		dl_guest_os(&f->g, &os);
	const char *arch = dl_os_arch(rep->elf, rep->elf_machine, rep->elf_class, rep->format);
	struct dl_sbuf rd = { 0 };
	for (size_t i = 0; i < p->ninitrds; i++)
		dl_sbuf_printf(&rd, "%s%s:%s", i ? " " : "", p->initrds[i].fs->vol->name,
			       p->initrds[i].path);
	_cleanup_free_ char *ramdisk = p->ninitrds ? dl_sbuf_take(&rd) : NULL;
	_cleanup_free_ char **mods = dl_calloc(p->nmodules + 1, sizeof(char *));
	for (size_t i = 0; i < p->nmodules; i++)
		mods[i] = dl_asprintf("%s:%s", p->modules[i].fs->vol->name, p->modules[i].path);
	struct dl_result r = {
		.args = p->args,
		.title = p->title,
		.entry_id = p->id,
		.entry_index = p->index,
		.edited = p->edited,
		.config = p->config,
		.format = p->format,
		.volume = p->kernel.fs->vol->name,
		.kernel = kernel,
		.ramdisk = ramdisk,
		.have_ramdisk = p->ninitrds > 0,
		.kernel_format = f->req->decompress && rep->elf ? (rep->elf_class == 32 ? "ELF32" : "ELF64")
								: rep->format,
		.kernel_version = rep->version[0] ? rep->version : NULL,
		.kernel_compression = f->req->decompress ? "none" : rep->compression,
		.kernel_arch = dl_inspect_arch(rep),
		.xen_pv = rep->xen_pv,
		.xen_pvh = rep->xen_pvh,
		.guest_type = type,
		.os_id = os.id[0] ? os.id : NULL,
		.os_version_id = os.version_id[0] ? os.version_id : NULL,
		.os_pretty_name = os.pretty_name[0] ? os.pretty_name : NULL,
		.os_arch = arch,
		.modules = (const char *const *)mods,
		.nmodules = p->nmodules,
		.module_args = (const char *const *)p->module_args,
		.nmodule_args = p->nmodules,
	};
	int rc = f->sink->result(f->sink->ctx, &r);
	for (size_t i = 0; i < p->nmodules; i++)
		free(mods[i]);
	return rc;
}

/* The kernel inspected and checked, then the plan's files (unless -n) and
 * the result. */
static int send(struct flow *f, const struct plan *p, struct dl_error *err)
{
	if (!dl_located_size(&p->kernel))
		return dl_fail(err, DL_EBADIMAGE, "%s:%s: the kernel is an empty file",
			       p->kernel.fs->vol->name, p->kernel.path);
	if (p->nmodules && f->req->rewrite) {
		/* before the guest type check, which the hypervisor image may fail
		 * too: this is the reason the user can act on */
		return dl_fail(err, DL_EUNSUPPORTED, "--rewrite-config: entry '%s' is a multiboot entry "
			       "(a hypervisor with %zu module%s); a domain configuration boots one "
			       "kernel, not a hypervisor and its modules",
			       p->title ? p->title : "(untitled)", p->nmodules,
			       p->nmodules == 1 ? "" : "s");
	}
	if (p->nmodules && f->req->no_modules) {
		_cleanup_free_ char *entry = plan_name(p);
		return dl_fail(err, DL_EUNSUPPORTED, "%s is a multiboot entry with %zu module%s, which "
			       "the %s output format cannot carry (use json or qemu)", entry, p->nmodules,
			       p->nmodules == 1 ? "" : "s", f->req->no_modules);
	}
	_cleanup_free_ char *kernel = dl_asprintf("%s:%s", p->kernel.fs->vol->name, p->kernel.path);
	struct dl_kernel_report rep;
	const char *type = NULL;
	int r = inspect_kernel(f, p, kernel, &rep, &type, err);
	if (r < 0)
		return r;
	if (f->req->mode == DL_MODE_EXTRACT && (r = send_payload(f, p, err)) < 0)
		return r;
	return send_result(f, p, kernel, &rep, type);
}

/* --mount: the guest view's volumes, mounted by the privileged side. */
static int kmount_fs(void *ctx, struct dl_fs **fsp, struct dl_volume *v, struct dl_error *err)
{
	return dl_kmount_fs(fsp, v, ctx, err);
}

/* A listing mode's text, to stdout. */
static int send_listing(const struct dl_sink *sink, char *text, size_t len, int r)
{
	if (r == 0)
		r = sink->listing(sink->ctx, text, len);
	free(text);
	return r;
}

int dl_flow_scan(const struct dl_request *req, struct dl_disk_set *set, struct dl_error *err)
{
	int r = dl_diskset_scan(set, req->offset, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < set->nvols; i++) {
		struct dl_error e = { 0 };
		if (dl_volume_probe(&set->vols[i], &e) < 0)
			snprintf(set->vols[i].note, sizeof(set->vols[i].note), "%.150s", e.msg);
	}
	return 0;
}

int dl_flow_run(const struct dl_request *req, struct dl_disk_set *set, const struct dl_sink *sink,
		struct dl_error *err)
{
	char *text = NULL;
	size_t len = 0;
	int r;
	if (req->mode == DL_MODE_ISCONFIG) {
		/* r first: send_listing reads text, which dl_mode_isconfig sets */
		r = dl_mode_isconfig(set, req->entry, req->list, req->json, &text, &len, err);
		return send_listing(sink, text, len, r);
	}
	r = dl_flow_scan(req, set, err);
	if (r < 0)
		return r;
	if (req->mode == DL_MODE_LIST_VOLUMES) {
		if (req->mount)
			dl_kmount_annotate(set, sink);
		text = dl_diskset_listing(set, req->json);
		return send_listing(sink, text, strlen(text), 0);
	}
	struct flow f = { .req = req, .sink = sink };
	struct plan p = { .index = -1 };
	dl_guest_init(&f.g, set, req->root);
	f.g.cmdline = req->args;
	if (req->mount) {
		f.g.mount = kmount_fs;
		f.g.mount_ctx = (void *)sink;
	}
	if (req->mode == DL_MODE_LIST) {
		r = dl_mode_list_entries(&f.g, req->json, &text, &len, err);
		if (r == 0)
			r = check_budgets(&f, err);
		r = send_listing(sink, text, len, r);
	} else if ((r = plan_boot(&f, &p, err)) == 0 && (r = check_budgets(&f, err)) == 0) {
		r = send(&f, &p, err);
	}
	if (r < 0)
		dl_guest_explain(&f.g, err);
	plan_free(&p);
	dl_guest_free(&f.g);
	return r;
}
