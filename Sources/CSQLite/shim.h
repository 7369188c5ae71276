#ifndef TRACESPOOL_CSQLITE_SHIM_H
#define TRACESPOOL_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
