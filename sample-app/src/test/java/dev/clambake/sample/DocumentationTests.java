package dev.clambake.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reader finds their way: the README stays short, every page in {@code docs/} is in its
 * index and has the sections each capability page promises, and every relative link in the
 * README, {@code CONTRIBUTING.md} and {@code docs/} leads to a file that exists.
 */
class DocumentationTests {

	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

	private static final List<String> CAPABILITY_SECTIONS = List.of("## What you get", "## Turn it off",
			"## Properties", "## Types you inject", "## When things go wrong", "## Worked example", "## See also");

	@Test
	void readmeIsShort() throws IOException {
		assertThat(Files.readAllLines(ROOT.resolve("README.md"))).as("README.md lines").hasSizeLessThanOrEqualTo(350);
	}

	@Test
	void everyPageIsInTheIndex() throws IOException {
		String index = read(ROOT.resolve("docs/README.md"));
		for (Path page : pages()) {
			if (!page.getFileName().toString().equals("README.md")) {
				assertThat(index).as("docs/README.md links " + page.getFileName())
					.contains("](" + page.getFileName() + ")");
			}
		}
	}

	@Test
	void everyCapabilityPageHasItsSectionsInOrder() throws IOException {
		for (Path page : pages()) {
			String name = page.getFileName().toString();
			if (name.equals("README.md") || name.equals("properties.md") || name.equals("performance.md")) {
				continue;
			}
			String text = read(page);
			int previous = -1;
			for (String section : CAPABILITY_SECTIONS) {
				int at = text.indexOf("\n" + section + "\n");
				assertThat(at).as(name + " has '" + section + "' after the sections before it").isGreaterThan(previous);
				previous = at;
			}
		}
	}

	@Test
	void everyRelativeLinkLeadsToAFile() throws IOException {
		List<Path> documents = new ArrayList<>(pages());
		documents.add(ROOT.resolve("README.md"));
		documents.add(ROOT.resolve("CONTRIBUTING.md"));
		List<String> broken = new ArrayList<>();
		for (Path document : documents) {
			Matcher link = LINK.matcher(read(document));
			while (link.find()) {
				String target = link.group(1);
				if (target.startsWith("http://") || target.startsWith("https://") || target.startsWith("#")
						|| target.startsWith("mailto:")) {
					continue;
				}
				Path file = document.getParent().resolve(target.replaceAll("#.*$", "")).normalize();
				if (!Files.exists(file)) {
					broken.add(ROOT.relativize(document) + ": " + target);
				}
			}
		}
		assertThat(broken).as("links to files that do not exist").isEmpty();
	}

	private static List<Path> pages() throws IOException {
		try (Stream<Path> pages = Files.list(ROOT.resolve("docs"))) {
			return pages.filter((page) -> page.toString().endsWith(".md")).sorted().toList();
		}
	}

	private static String read(Path file) throws IOException {
		return Files.readString(file, StandardCharsets.UTF_8);
	}

}
