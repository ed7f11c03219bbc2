/* libxml2's functions that libvirt.c calls, forwarded to the library
 * loaded on first use (src/dlib.h says why it is not linked).  Each
 * forwarder has the header's own prototype, so a changed signature fails
 * to compile; the versions are those the linker recorded when it was
 * linked directly. */
#include "dlib.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#define SYM(name, ver) \
	static __typeof__(&name) fp; \
	if (!fp) \
		fp = (__typeof__(&name))dl_lib_sym(&dl_libxml2, #name, ver)
#define V24 "LIBXML2_2.4.30"
#define V26 "LIBXML2_2.6.0"

xmlDocPtr xmlReadMemory(const char *buffer, int size, const char *URL, const char *encoding,
			int options)
{
	SYM(xmlReadMemory, V26);
	return fp(buffer, size, URL, encoding, options);
}

xmlErrorPtr xmlGetLastError(void)
{
	SYM(xmlGetLastError, V26);
	return fp();
}

void xmlResetLastError(void)
{
	SYM(xmlResetLastError, V26);
	fp();
}

void xmlSetGenericErrorFunc(void *ctx, xmlGenericErrorFunc handler)
{
	SYM(xmlSetGenericErrorFunc, V24);
	fp(ctx, handler);
}

xmlBufferPtr xmlBufferCreate(void)
{
	SYM(xmlBufferCreate, V24);
	return fp();
}

const xmlChar *xmlBufferContent(const xmlBuffer *buf)
{
	SYM(xmlBufferContent, V24);
	return fp(buf);
}

void xmlBufferFree(xmlBufferPtr buf)
{
	SYM(xmlBufferFree, V24);
	fp(buf);
}

xmlNodePtr xmlDocGetRootElement(const xmlDoc *doc)
{
	SYM(xmlDocGetRootElement, V24);
	return fp(doc);
}

void xmlFreeDoc(xmlDocPtr cur)
{
	SYM(xmlFreeDoc, V24);
	fp(cur);
}

long xmlGetLineNo(const xmlNode *node)
{
	SYM(xmlGetLineNo, V24);
	return fp(node);
}

xmlChar *xmlGetNoNsProp(const xmlNode *node, const xmlChar *name)
{
	SYM(xmlGetNoNsProp, "LIBXML2_2.5.2");
	return fp(node, name);
}

xmlChar *xmlNodeGetContent(const xmlNode *cur)
{
	SYM(xmlNodeGetContent, V24);
	return fp(cur);
}

int xmlNodeDump(xmlBufferPtr buf, xmlDocPtr doc, xmlNodePtr cur, int level, int format)
{
	SYM(xmlNodeDump, V24);
	return fp(buf, doc, cur, level, format);
}

/* xmlFree is a variable in libxml2 (its free hook): ours calls the
 * library's. */
static void free_via_library(void *p)
{
	static xmlFreeFunc *hook;
	if (!hook)
		hook = (xmlFreeFunc *)dl_lib_sym(&dl_libxml2, "xmlFree", V24);
	(*hook)(p);
}

xmlFreeFunc xmlFree = free_via_library;
