// zlib (Debian zlib1g-dev): the spool's record checksums (crc32_z), so no checksum is hand-written.
#ifndef OBSERVABILITY_SINKS_CZLIB_SHIM_H
#define OBSERVABILITY_SINKS_CZLIB_SHIM_H

#include <zlib.h>

#endif
