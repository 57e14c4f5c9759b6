package io.github.eventfd.spring.autoconfigure;

import org.springframework.beans.factory.aot.BeanRegistrationExcludeFilter;
import org.springframework.beans.factory.support.RegisteredBean;

/**
 * Leaves {@link EventFdNotifierRegistrar} out of the code generated ahead of time: the bean definitions it
 * makes are in that code already, and run again it would define them a second time.
 */
final class NotifierRegistrarAotFilter implements BeanRegistrationExcludeFilter {

    @Override
    public boolean isExcludedFromAotProcessing(RegisteredBean registeredBean) {
        return EventFdNotifierRegistrar.class.equals(registeredBean.getBeanClass());
    }
}
