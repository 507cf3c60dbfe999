package dev.clambake.lease;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import dev.clambake.state.StateLease;
import dev.clambake.state.StateLeaseTable;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * {@link Leases} on the state store's lease table, remembering which leases this replica holds
 * so that shutdown can release them. Closing it (its destroy method) releases what is still
 * held, so leases are handed over on close even with Clambake's shutdown sequence off.
 */
final class DefaultLeases implements Leases, AutoCloseable {

	private static final Log logger = LogFactory.getLog(Leases.class);

	private final StateLeaseTable table;

	private final String holder;

	private final List<LeaseListener> listeners;

	private final Map<String, Lease> held = new ConcurrentHashMap<>();

	DefaultLeases(StateLeaseTable table, String holder, List<LeaseListener> listeners) {
		this.table = table;
		this.holder = holder;
		this.listeners = List.copyOf(listeners);
	}

	@Override
	public Optional<Lease> tryAcquire(String name, Duration duration) {
		Optional<Lease> acquired = this.table.acquireLease(name, this.holder, duration).map(Lease::of);
		acquired.ifPresent((lease) -> {
			this.held.put(name, lease);
			if (logger.isDebugEnabled()) {
				logger.debug("Acquired lease '" + name + "' with fencing token " + lease.token() + " until "
						+ lease.expiresAt());
			}
		});
		Lease lease = acquired.orElse(null);
		notify((listener) -> listener.onAcquireAttempt(name, lease));
		return acquired;
	}

	@Override
	public Optional<Lease> renew(Lease lease, Duration duration) {
		Optional<StateLease> renewed;
		try {
			renewed = this.table.renewLease(lease.fence(), duration);
		}
		catch (RuntimeException ex) {
			notify((listener) -> listener.onRenewFailed(lease, ex));
			throw ex;
		}
		if (renewed.isEmpty()) {
			lost(lease);
			return Optional.empty();
		}
		Lease result = Lease.of(renewed.get());
		this.held.computeIfPresent(lease.name(), (name, current) -> (current.token() == lease.token()) ? result : current);
		return Optional.of(result);
	}

	@Override
	public boolean release(Lease lease) {
		boolean released = this.table.releaseLease(lease.fence());
		boolean wasHeld = forget(lease);
		if (released) {
			notify((listener) -> listener.onReleased(lease));
			if (logger.isDebugEnabled()) {
				logger.debug("Released lease '" + lease.name() + "' with fencing token " + lease.token());
			}
		}
		else if (wasHeld) {
			lostMessage(lease);
		}
		return released;
	}

	@Override
	public int releaseAll() {
		int released = 0;
		for (Lease lease : new ArrayList<>(this.held.values())) {
			try {
				if (release(lease)) {
					released++;
					logger.info("Released lease '" + lease.name() + "' (fencing token " + lease.token()
							+ ") so another replica can take it over at once");
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Could not release lease '" + lease.name() + "'; it expires at " + lease.expiresAt(), ex);
			}
		}
		return released;
	}

	@Override
	public void close() {
		if (!this.held.isEmpty()) {
			releaseAll();
		}
	}

	@Override
	public List<Lease> held() {
		return List.copyOf(this.held.values());
	}

	@Override
	public List<StateLease> list() {
		return this.table.leases();
	}

	@Override
	public Instant databaseTime() {
		return this.table.databaseTime();
	}

	@Override
	public String holder() {
		return this.holder;
	}

	private void lost(Lease lease) {
		if (forget(lease)) {
			lostMessage(lease);
		}
	}

	private void lostMessage(Lease lease) {
		logger.warn("Lease '" + lease.name() + "' with fencing token " + lease.token()
				+ " was lost: it expired or passed to another holder");
		notify((listener) -> listener.onLost(lease));
	}

	private boolean forget(Lease lease) {
		boolean[] removed = new boolean[1];
		this.held.computeIfPresent(lease.name(), (name, current) -> {
			if (current.token() == lease.token()) {
				removed[0] = true;
				return null;
			}
			return current;
		});
		return removed[0];
	}

	private void notify(Consumer<LeaseListener> event) {
		for (LeaseListener listener : this.listeners) {
			try {
				event.accept(listener);
			}
			catch (RuntimeException ex) {
				logger.warn("Lease listener " + listener + " failed", ex);
			}
		}
	}

}
