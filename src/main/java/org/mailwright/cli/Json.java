package org.mailwright.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import java.util.function.Function;

/** The {@code --json} output of every command: indented, with what a terminal would act on escaped. */
final class Json {
    private Json() {}

    static void print(Object value) {
        try {
            System.out.println(QueueCommand.json().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new Failure("cannot write the JSON output: " + e.getMessage(), e);
        }
    }

    /** A list: with --json one JSON array, else one line per element as {@code line} writes it. */
    static <T> void printList(boolean json, List<T> list, Function<T, String> line) {
        if (json) {
            print(list);
        } else {
            list.forEach(e -> System.out.println(line.apply(e)));
        }
    }
}
