package dev.clambake.config;

import org.springframework.aop.aspectj.annotation.AnnotationAwareAspectJAutoProxyCreator;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.RuntimeBeanReference;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;

/**
 * Gives Spring's AspectJ auto-proxy creator the {@link AnnotationAspectAdvisorFactory}, unless
 * the application configured an advisor factory of its own or uses another kind of auto-proxy
 * creator. The factory is a bean definition of its own, referred to by name, not an instance, so
 * that ahead-of-time processing can write both into the generated bean definitions.
 */
class AnnotationAspectsPostProcessor implements BeanDefinitionRegistryPostProcessor {

	static final String ADVISOR_FACTORY_BEAN_NAME = "clambakeAnnotationAspectAdvisorFactory";

	private static final String ADVISOR_FACTORY_PROPERTY = "aspectJAdvisorFactory";

	@Override
	public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
		if (!registry.containsBeanDefinition(AopConfigUtils.AUTO_PROXY_CREATOR_BEAN_NAME)) {
			return;
		}
		BeanDefinition creator = registry.getBeanDefinition(AopConfigUtils.AUTO_PROXY_CREATOR_BEAN_NAME);
		if (AnnotationAwareAspectJAutoProxyCreator.class.getName().equals(creator.getBeanClassName())
				&& !creator.getPropertyValues().contains(ADVISOR_FACTORY_PROPERTY)) {
			RootBeanDefinition advisorFactory = new RootBeanDefinition(AnnotationAspectAdvisorFactory.class);
			advisorFactory.setAutowireMode(AbstractBeanDefinition.AUTOWIRE_CONSTRUCTOR);
			advisorFactory.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
			registry.registerBeanDefinition(ADVISOR_FACTORY_BEAN_NAME, advisorFactory);
			creator.getPropertyValues().add(ADVISOR_FACTORY_PROPERTY, new RuntimeBeanReference(ADVISOR_FACTORY_BEAN_NAME));
		}
	}

}
