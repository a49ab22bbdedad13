package dev.lectern.platform;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.deser.std.JsonNodeDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.CollectionType;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;

/**
 * Strict JSON for every body the service reads: a value has the type the API declares, each key appears once, and
 * what PostgreSQL cannot store ({@link Storable}) is refused while reading, as a 400 naming the field ({@link
 * Refused}, mapped by {@link ProblemMappers}).
 *
 * <ul>
 *   <li>No coercion: a number or boolean is not a string, {@code 1} is not {@code true}, {@code "5"} is not 5 and
 *       {@code 0.5} is not an integer; duplicate keys and trailing content are malformed JSON.
 *   <li>Every string, free-form JSON ({@link JsonNode}: values and keys) included, is free of NUL and unpaired
 *       surrogates; every {@link Instant} and {@link LocalDate} is within years 1 to 9999.
 *   <li>A list longer than its {@code @Size(max)} is refused as soon as it is read: Bean Validation would otherwise
 *       validate every element first, and Hibernate Validator's set of violations grows quadratically with their
 *       number (16,000 invalid elements held an event loop for seconds).
 * </ul>
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    /** A value read from JSON that the API refuses; Jackson adds the path to the field as the exception unwinds. */
    public static final class Refused extends JsonMappingException {

        Refused(JsonParser parser, String reason) {
            super(parser, reason);
        }
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
        for (LogicalType scalar : new LogicalType[] {LogicalType.Boolean, LogicalType.Integer, LogicalType.Float}) {
            mapper.coercionConfigFor(scalar)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);

        SimpleModule module = new SimpleModule("lectern-strict-json");
        module.addDeserializer(String.class, new StorableString());
        module.addDeserializer(JsonNode.class, new StorableTree());
        module.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyDeserializer(
                    DeserializationConfig config, BeanDescription description, JsonDeserializer<?> deserializer) {
                Class<?> type = description.getBeanClass();
                if (type == Instant.class) {
                    return new InRange<>(deserializer, Instant.class, Storable::instantDefect);
                }
                if (type == LocalDate.class) {
                    return new InRange<>(deserializer, LocalDate.class, Storable::dateDefect);
                }
                return deserializer;
            }

            @Override
            public JsonDeserializer<?> modifyCollectionDeserializer(
                    DeserializationConfig config,
                    CollectionType type,
                    BeanDescription description,
                    JsonDeserializer<?> deserializer) {
                return new SizeBound(deserializer, Integer.MAX_VALUE);
            }
        });
        mapper.registerModule(module);
    }

    /** Strings only (no numbers or booleans turned into text), and only text PostgreSQL can store. */
    static final class StorableString extends StdScalarDeserializer<String> {

        StorableString() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return (String) context.handleUnexpectedToken(String.class, parser);
            }
            String text = parser.getText();
            String defect = Storable.textDefect(text);
            if (defect != null) {
                throw new Refused(parser, defect);
            }
            return text;
        }
    }

    /** Free-form JSON: Jackson's own tree, then every key and string in it checked, the path to a bad one named. */
    static final class StorableTree extends JsonDeserializer<JsonNode> {

        private final JsonDeserializer<? extends JsonNode> tree = JsonNodeDeserializer.getDeserializer(JsonNode.class);

        @Override
        public JsonNode deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode node = tree.deserialize(parser, context);
            Refused refused = defect(parser, node);
            if (refused != null) {
                throw refused;
            }
            return node;
        }

        @Override
        public JsonNode getNullValue(DeserializationContext context) throws JsonMappingException {
            return tree.getNullValue(context);
        }

        @Override
        public Object getAbsentValue(DeserializationContext context) throws JsonMappingException {
            return tree.getAbsentValue(context);
        }

        /** The first key or string PostgreSQL cannot store, as a Refused carrying its path inside the tree. */
        private static Refused defect(JsonParser parser, JsonNode node) {
            if (node.isTextual()) {
                String defect = Storable.textDefect(node.textValue());
                return defect == null ? null : new Refused(parser, defect);
            }
            if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    String keyDefect = Storable.textDefect(field.getKey());
                    if (keyDefect != null) {
                        return new Refused(parser, "a key " + keyDefect);
                    }
                    Refused refused = defect(parser, field.getValue());
                    if (refused != null) {
                        refused.prependPath(node, field.getKey());
                        return refused;
                    }
                }
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    Refused refused = defect(parser, node.get(i));
                    if (refused != null) {
                        refused.prependPath(node, i);
                        return refused;
                    }
                }
            }
            return null;
        }
    }

    /** An instant or date as Jackson reads it, refused when outside what the columns hold. */
    static final class InRange<T> extends DelegatingDeserializer {

        private final Class<T> type;
        private final Function<T, String> defect;

        InRange(JsonDeserializer<?> delegate, Class<T> type, Function<T, String> defect) {
            super(delegate);
            this.type = type;
            this.defect = defect;
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
            return new InRange<>(delegate, type, defect);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            Object value = super.deserialize(parser, context);
            String reason = value == null ? null : defect.apply(type.cast(value));
            if (reason != null) {
                throw new Refused(parser, reason);
            }
            return value;
        }
    }

    /** A list read into a collection with {@code @Size(max)} is refused once it is read, before Bean Validation. */
    static final class SizeBound extends DelegatingDeserializer {

        private final int max;

        SizeBound(JsonDeserializer<?> delegate, int max) {
            super(delegate);
            this.max = max;
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
            return new SizeBound(delegate, max);
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext context, BeanProperty property)
                throws JsonMappingException {
            JavaType type = context.constructType(_delegatee.handledType());
            JsonDeserializer<?> delegate = context.handleSecondaryContextualization(_delegatee, property, type);
            Size size = property == null ? null : property.getAnnotation(Size.class);
            return new SizeBound(delegate, size == null ? Integer.MAX_VALUE : size.max());
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            Object value = super.deserialize(parser, context);
            if (value instanceof Collection<?> items && items.size() > max) {
                throw new Refused(parser, "must have at most " + max + " items");
            }
            return value;
        }
    }
}
