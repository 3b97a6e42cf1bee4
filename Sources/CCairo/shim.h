#ifndef DUSANGIRE_CCAIRO_SHIM_H
#define DUSANGIRE_CCAIRO_SHIM_H

/* cairo draws the e-mail's charts (PNG image surfaces) and the report's PDF (PDF surfaces), text included (its own
 * font API over fontconfig and FreeType). Only Sources/Drawing/Canvas.swift uses this. */
#include <cairo.h>
#include <cairo-pdf.h>

#endif
