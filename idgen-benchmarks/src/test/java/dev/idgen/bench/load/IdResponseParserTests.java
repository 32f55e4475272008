package dev.idgen.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class IdResponseParserTests {

    @Test
    void readsASingleIdSentAsAString() {
        assertThat(IdResponseParser.parse("{\"id\":\"123456789012345678\"}", "id"))
            .containsExactly(123456789012345678L);
    }

    @Test
    void readsASingleIdSentAsANumberAmongOtherMembers() {
        String json = " { \"worker\" : {\"id\": 7, \"tags\": [1, \"x\", null]}, \"ids\": [], \"id\" : 42 , \"ok\": true } ";

        assertThat(IdResponseParser.parse(json, "id")).containsExactly(42L);
    }

    @Test
    void readsABatchInOrder() {
        assertThat(IdResponseParser.parse("{\"ids\":[\"3\",\"1\",\"2\"],\"count\":3}", "ids")).containsExactly(3L, 1L,
                2L);
    }

    @Test
    void readsAnEmptyBatch() {
        assertThat(IdResponseParser.parse("{\"ids\":[]}", "ids")).isEmpty();
    }

    @Test
    void keysWithEscapesAreDecoded() {
        assertThat(IdResponseParser.parse("{\"\\u0069d\":\"5\"}", "id")).containsExactly(5L);
    }

    @Test
    void rejectsABodyWithoutTheMember() {
        assertThatIllegalArgumentException().isThrownBy(() -> IdResponseParser.parse("{\"ids\":[\"1\"]}", "id"))
            .withMessageContaining("\"id\" is missing");
    }

    @Test
    void rejectsANegativeId() {
        assertThatIllegalArgumentException().isThrownBy(() -> IdResponseParser.parse("{\"id\":\"-1\"}", "id"))
            .withMessageContaining("non-negative");
    }

    @Test
    void rejectsAnIdBeyondALong() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> IdResponseParser.parse("{\"id\":\"9223372036854775808\"}", "id"))
            .withMessageContaining("64-bit");
    }

    @Test
    void rejectsTruncatedJson() {
        assertThatIllegalArgumentException().isThrownBy(() -> IdResponseParser.parse("{\"ids\":[\"1\",", "ids"))
            .withMessageContaining("unexpected end");
    }

    @Test
    void rejectsSomethingThatIsNotAnObject() {
        assertThatIllegalArgumentException().isThrownBy(() -> IdResponseParser.parse("<html>", "id"))
            .withMessageContaining("expected '{'");
    }

}
