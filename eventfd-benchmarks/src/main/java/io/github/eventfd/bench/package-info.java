/**
 * The benchmark harness: C floor, this library's paths and the alternatives, in one run and one table.
 */
package io.github.eventfd.bench;
