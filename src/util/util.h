/*
 * util.h — the foundation every other module stands on, one header per
 * concern; a file may include just the one it needs.
 *
 * Conventions (see specs/architecture.md): functions return 0 or a negative
 * HW_E* code; the message is fetched with hw_error_last(). Out-parameters come
 * first. Nothing here prints except hw_diags_print().
 */
#ifndef HW_UTIL_H
#define HW_UTIL_H

#include "error.h"
#include "buf.h"
#include "file.h"
#include "proc.h"
#include "date.h"
#include "hash.h"
#include "xml.h"
#include "json.h"

#endif
