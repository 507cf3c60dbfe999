package dev.clambake.correlation;

import java.util.function.Function;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Replaces Spring Boot's own {@code DefaultErrorAttributes} (servlet or WebFlux, exactly that
 * class) with a subclass that adds the correlation id and the trace id. Error attributes the
 * application defines itself are left alone.
 */
public class ErrorAttributesIdsPostProcessor implements BeanPostProcessor {

	private final Class<?> defaultType;

	private final Function<ErrorBodyIds, Object> replacement;

	private final ObjectProvider<ErrorBodyIds> ids;

	/**
	 * Create an instance.
	 * @param defaultType Boot's default error attributes class
	 * @param replacement creates its replacement
	 * @param ids adds the ids, looked up on first use
	 */
	public ErrorAttributesIdsPostProcessor(Class<?> defaultType, Function<ErrorBodyIds, Object> replacement,
			ObjectProvider<ErrorBodyIds> ids) {
		this.defaultType = defaultType;
		this.replacement = replacement;
		this.ids = ids;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		if (bean.getClass() == this.defaultType) {
			ErrorBodyIds ids = this.ids.getIfAvailable();
			if (ids != null) {
				return this.replacement.apply(ids);
			}
		}
		return bean;
	}

}
