package dev.clambake.config;

import org.springframework.aop.aspectj.annotation.AnnotationAwareAspectJAutoProxyCreator;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Gives Spring's AspectJ auto-proxy creator the {@link AnnotationAspectAdvisorFactory}, unless
 * the application configured an advisor factory of its own or uses another kind of auto-proxy
 * creator.
 */
class AnnotationAspectsPostProcessor implements BeanFactoryPostProcessor {

	private static final String ADVISOR_FACTORY_PROPERTY = "aspectJAdvisorFactory";

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		if (!beanFactory.containsBeanDefinition(AopConfigUtils.AUTO_PROXY_CREATOR_BEAN_NAME)) {
			return;
		}
		BeanDefinition creator = beanFactory.getBeanDefinition(AopConfigUtils.AUTO_PROXY_CREATOR_BEAN_NAME);
		if (AnnotationAwareAspectJAutoProxyCreator.class.getName().equals(creator.getBeanClassName())
				&& !creator.getPropertyValues().contains(ADVISOR_FACTORY_PROPERTY)) {
			creator.getPropertyValues().add(ADVISOR_FACTORY_PROPERTY, new AnnotationAspectAdvisorFactory(beanFactory));
		}
	}

}
