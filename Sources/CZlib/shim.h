#ifndef TRACESPOOL_CZLIB_SHIM_H
#define TRACESPOOL_CZLIB_SHIM_H
#include <zlib.h>
#endif
