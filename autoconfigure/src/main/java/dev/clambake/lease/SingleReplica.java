package dev.clambake.lease;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a method, usually a {@code @Scheduled} one, on at most one replica at a time: each call
 * takes the named lease (or is skipped when another replica holds it), renews it while the
 * method runs and releases it at the end, as {@link SingleReplicaJobs#run} does. Inside the
 * method {@link SingleReplicaRun#current()} gives the run's fence and whether its lease was
 * lost.
 * <pre class="code">
 * &#64;Scheduled(fixedDelay = 60_000)
 * &#64;SingleReplica(lease = "nightly-export", duration = "2m")
 * void export() { ... }
 * </pre>
 * The method must not be private or final (its bean is proxied); a skipped call returns
 * without invoking it ({@code null} for a method that returns a value).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface SingleReplica {

	/**
	 * The lease's name; placeholders such as {@code ${job.lease}} are resolved.
	 * @return the lease's name
	 */
	String lease();

	/**
	 * How long the lease is held before it must be renewed, such as {@code 30s}; placeholders are
	 * resolved. Empty for {@code clambake.lease.default-duration}.
	 * @return the lease's duration
	 */
	String duration() default "";

}
