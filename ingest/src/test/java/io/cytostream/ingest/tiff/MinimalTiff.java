package io.cytostream.ingest.tiff;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test fixture: a hand-made, uncompressed, little-endian, single-strip gray TIFF with any
 * BitsPerSample/SampleFormat, for formats our writer does not produce (float32, signed int16).
 */
final class MinimalTiff {
  private MinimalTiff() {}

  /**
   * @param sampleFormat 1 unsigned, 2 signed, 3 IEEE float
   * @param data little-endian samples, row-major
   */
  static void write(Path file, int width, int height, int bits, int sampleFormat, byte[] data)
      throws IOException {
    int entries = 10;
    int ifd = 8;
    int dataOffset = ifd + 2 + entries * 12 + 4;
    ByteBuffer b = ByteBuffer.allocate(dataOffset + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(ifd);
    b.putShort((short) entries);
    tag(b, 256, 4, width); // ImageWidth
    tag(b, 257, 4, height); // ImageLength
    tag(b, 258, 3, bits); // BitsPerSample
    tag(b, 259, 3, 1); // Compression: none
    tag(b, 262, 3, 1); // PhotometricInterpretation: BlackIsZero
    tag(b, 273, 4, dataOffset); // StripOffsets
    tag(b, 277, 3, 1); // SamplesPerPixel
    tag(b, 278, 4, height); // RowsPerStrip
    tag(b, 279, 4, data.length); // StripByteCounts
    tag(b, 339, 3, sampleFormat); // SampleFormat
    b.putInt(0);
    b.put(data);
    Files.write(file, b.array());
  }

  private static void tag(ByteBuffer b, int tag, int type, int value) {
    b.putShort((short) tag).putShort((short) type).putInt(1);
    if (type == 3) {
      b.putShort((short) value).putShort((short) 0);
    } else {
      b.putInt(value);
    }
  }
}
