package io.github.eventfd.spring.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.github.eventfd.spring.bridge.BridgeEngine;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when at least one channel is bridged by the given engine, or by any engine when none is given
 * ({@code eventfd.channels.<name>.bridge}): a bridge that no channel uses is not made, so an application with Redis
 * on its class path and no bridged channel pays nothing for the bridge at startup (no host name lookup, no thread,
 * no health or meters of a bridge), and one with no bridged channel at all has no attacher and loads no bridge class.
 * Without an engine it also matches while the application is processed ahead of time (see
 * {@link OnBridgedChannelCondition}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@Conditional(OnBridgedChannelCondition.class)
@interface ConditionalOnBridgedChannel {

    /** The engine a channel must ask for; none: any engine ({@link BridgeEngine#NONE} never matches). */
    BridgeEngine[] value() default {};
}
