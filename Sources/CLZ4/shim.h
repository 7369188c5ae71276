#ifndef TRACESPOOL_CLZ4_SHIM_H
#define TRACESPOOL_CLZ4_SHIM_H
#include <lz4.h>
#endif
