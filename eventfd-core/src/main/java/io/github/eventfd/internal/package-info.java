/**
 * The native layer: JNA bindings to the C library, errno handling, descriptor ownership and native
 * buffers. Not API: it may change in any release.
 */
@NullMarked
package io.github.eventfd.internal;

import org.jspecify.annotations.NullMarked;
