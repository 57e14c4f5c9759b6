/**
 * The billing role of the demo.
 */
package io.github.eventfd.demo.billing;
