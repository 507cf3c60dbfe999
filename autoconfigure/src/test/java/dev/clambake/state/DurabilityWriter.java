package dev.clambake.state;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Child-process half of {@link StateStoreDurabilityTests}: writes records to the store at the
 * given URL from several threads as fast as it can, printing {@code ACK <key>} once each write
 * has returned, until it is killed.
 */
public final class DurabilityWriter {

	private DurabilityWriter() {
	}

	public static void main(String[] args) throws Exception {
		ClambakeStateProperties properties = new ClambakeStateProperties();
		properties.setUrl(args[0]);
		JdbcStateStore store = JdbcStateStore.open(properties, List.of());
		AtomicLong sequence = new AtomicLong();
		Runnable writer = () -> {
			while (true) {
				String key = "k-" + sequence.incrementAndGet();
				store.create("durable", key, "{\"key\":\"" + key + "\"}", "writer");
				synchronized (System.out) {
					System.out.print("ACK " + key + "\n");
					System.out.flush();
				}
			}
		};
		for (int i = 0; i < 4; i++) {
			new Thread(writer, "writer-" + i).start();
		}
	}

}
