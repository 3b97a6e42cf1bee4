#ifndef DUSANGIRE_CZSTD_SHIM_H
#define DUSANGIRE_CZSTD_SHIM_H

/* zstd keeps the rows a job will load compressed while they wait for the load transaction (a large table's COPY text
 * is some 3.5 times smaller at level 1). Only Sources/Postgres/CopyBlock.swift uses this. */
#include <zstd.h>

#endif
