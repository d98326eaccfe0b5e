package dev.jgql.spring.boot;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

/**
 * The {@code jgql} health indicator on Spring Boot 3.5, whose health API
 * ({@code org.springframework.boot.actuate.health}) Spring Boot 4 replaced: the starter is compiled against
 * Boot 4, so it implements Boot 3's interface with a proxy that builds Boot 3's {@code Health} by reflection.
 * Registered only when Boot 3's interface is on the class path (never with Boot 4, which has none).
 */
final class Boot3HealthIndicators implements ImportBeanDefinitionRegistrar, BeanFactoryAware, BeanClassLoaderAware {
    static final String INDICATOR = "org.springframework.boot.actuate.health.HealthIndicator";
    private static final String HEALTH = "org.springframework.boot.actuate.health.Health";

    private BeanFactory beanFactory;
    private ClassLoader classLoader;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
        this.beanFactory = beanFactory;
    }

    @Override
    public void setBeanClassLoader(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        if (registry.containsBeanDefinition(JgqlHealthAutoConfiguration.INDICATOR_BEAN)) {
            return; // the application's own
        }
        Class<Object> type = (Class<Object>) ClassUtils.resolveClassName(INDICATOR, classLoader);
        registry.registerBeanDefinition(JgqlHealthAutoConfiguration.INDICATOR_BEAN, new RootBeanDefinition(type,
                () -> indicator(beanFactory.getBean(JgqlHealth.class), type, classLoader)));
    }

    /** A Boot 3 {@code HealthIndicator} that reports {@code health}'s checks. */
    static Object indicator(JgqlHealth health, Class<?> indicatorType, ClassLoader loader) {
        try {
            Method status = ClassUtils.resolveClassName(HEALTH, loader).getMethod("status", String.class);
            Method withDetails = status.getReturnType().getMethod("withDetails", Map.class);
            Method build = status.getReturnType().getMethod("build");
            InvocationHandler handler = (proxy, method, args) -> {
                if (method.getName().equals("health") && method.getParameterCount() == 0) {
                    JgqlHealth.Report report = health.check();
                    return build.invoke(withDetails.invoke(status.invoke(null, report.status().name()), report.details()));
                }
                if (method.isDefault()) {
                    return InvocationHandler.invokeDefault(proxy, method, args);
                }
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "toString" -> "JgqlHealthIndicator (Spring Boot 3)";
                    default -> throw new UnsupportedOperationException(method.toString());
                };
            };
            return Proxy.newProxyInstance(loader, new Class<?>[] {indicatorType}, handler);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("This Spring Boot's health API is not the one of Boot 3.5: " + e.getMessage(), e);
        }
    }
}
