/**
 * The orders role of the demo.
 */
package io.github.eventfd.demo.orders;
