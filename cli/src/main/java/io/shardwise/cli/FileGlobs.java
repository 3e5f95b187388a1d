package io.shardwise.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The files that FILE_OR_GLOB arguments name now: a plain path, or a glob ({@code *}, {@code ?},
 * {@code [..]}, {@code {a,b}}, {@code **} across directories) matched against absolute paths, so
 * files created later are found at the next look. Only regular files count.
 */
final class FileGlobs {

    private record Glob(Path base, int maxDepth, PathMatcher matcher, String text) {
    }

    private final List<Glob> globs = new ArrayList<>();
    private final Set<Path> excluded;

    FileGlobs(List<String> patterns, Set<Path> excluded) {
        for (String pattern : patterns) {
            globs.add(parse(pattern));
        }
        this.excluded = excluded;
    }

    /**
     * The matching regular files, in a stable order (each glob's matches sorted by path). A
     * directory that cannot be read, or a file that goes away during the walk, is passed over.
     */
    List<Path> matches() {
        Set<Path> found = new LinkedHashSet<>();
        for (Glob glob : globs) {
            List<Path> paths = new ArrayList<>();
            try {
                Files.walkFileTree(glob.base, Set.of(), glob.maxDepth, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                        if (attributes.isRegularFile() && glob.matcher.matches(file)) {
                            paths.add(file);
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + glob.base + " for " + glob.text, e);
            }
            paths.sort(null);
            found.addAll(paths);
        }
        found.removeAll(excluded);
        return new ArrayList<>(found);
    }

    static boolean isRegularFile(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).isRegularFile();
        } catch (IOException gone) {
            return false;
        }
    }

    private static Glob parse(String pattern) {
        if (pattern.isBlank()) {
            throw new CliException("FILE_OR_GLOB is empty");
        }
        Path absolute = Path.of(pattern).toAbsolutePath().normalize();
        Path base = absolute.getRoot();
        int depth = 0;
        boolean recursive = false;
        boolean inGlob = false;
        for (Path segment : absolute) {
            String name = segment.toString();
            if (!inGlob && !hasGlobCharacters(name)) {
                base = base.resolve(segment);
            } else {
                inGlob = true;
                depth++;
                recursive |= name.contains("**");
            }
        }
        if (!inGlob) {
            // a plain file: its directory is listed, one level
            return new Glob(absolute.getParent(), 1, absolute::equals, pattern);
        }
        PathMatcher matcher;
        try {
            matcher = FileSystems.getDefault().getPathMatcher("glob:" + absolute);
        } catch (IllegalArgumentException e) {
            throw new CliException("FILE_OR_GLOB " + pattern + " is not a glob: " + e.getMessage());
        }
        return new Glob(base, recursive ? Integer.MAX_VALUE : depth, matcher, pattern);
    }

    private static boolean hasGlobCharacters(String name) {
        return name.indexOf('*') >= 0 || name.indexOf('?') >= 0 || name.indexOf('[') >= 0 || name.indexOf('{') >= 0;
    }
}
