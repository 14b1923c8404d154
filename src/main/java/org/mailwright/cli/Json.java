package org.mailwright.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;

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
}
