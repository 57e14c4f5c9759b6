/**
 * The demo application.
 */
package io.github.eventfd.demo;
