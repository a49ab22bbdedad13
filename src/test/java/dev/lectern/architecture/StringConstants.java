package dev.lectern.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The string literals a compiled class holds (its constant pool's CONSTANT_String entries: literals, text blocks, the
 * recipes of string concatenation), which ArchUnit does not expose. Lets a rule look at the SQL a class sends.
 */
final class StringConstants {

    private StringConstants() {}

    static List<String> of(JavaClass type) {
        try (InputStream in = type.getSource()
                        .orElseThrow(() -> new IllegalStateException("no class file for " + type.getName()))
                        .getUri()
                        .toURL()
                        .openStream();
                DataInputStream data = new DataInputStream(in)) {
            return read(data);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the class file of " + type.getName(), e);
        }
    }

    /** JVMS §4.4: walks the constant pool, then resolves each CONSTANT_String to its CONSTANT_Utf8. */
    private static List<String> read(DataInputStream in) throws IOException {
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort(); // minor version
        in.readUnsignedShort(); // major version
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        List<Integer> strings = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 8 -> strings.add(in.readUnsignedShort());
                case 7, 16, 19, 20 -> in.skipNBytes(2);
                case 15 -> in.skipNBytes(3);
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                case 5, 6 -> {
                    in.skipNBytes(8);
                    i++; // a long or a double takes two entries
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        List<String> literals = new ArrayList<>(strings.size());
        for (int index : strings) {
            literals.add(utf8[index]);
        }
        return literals;
    }
}
