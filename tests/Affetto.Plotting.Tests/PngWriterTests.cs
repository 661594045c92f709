using System.Diagnostics;

namespace Affetto.Plotting.Tests;

public class PngWriterTests
{
    public static TheoryData<int, int, PngColorType, int> Sizes => new()
    {
        { 1, 1, PngColorType.Rgb, 0 },
        { 7, 3, PngColorType.Rgb, 1 },
        { 64, 48, PngColorType.Rgb, 2 },
        { 33, 17, PngColorType.Rgba, 3 },
        { 300, 5, PngColorType.Rgba, 4 },
    };

    private static byte[] RandomPixels(int w, int h, int bpp, int seed, bool smooth)
    {
        var r = new Random(seed);
        var p = new byte[w * h * bpp];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < bpp; c++)
                    p[(y * w + x) * bpp + c] = smooth ? (byte)(x * 3 + y * 2 + c * 40) : (byte)r.Next(256);
        return p;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Encode_RoundTripsThroughAnIndependentDecoder(int w, int h, PngColorType type, int seed)
    {
        int bpp = type == PngColorType.Rgba ? 4 : 3;
        foreach (bool smooth in new[] { false, true })
        {
            byte[] pixels = RandomPixels(w, h, bpp, seed, smooth);
            var img = PngTestDecoder.Decode(PngWriter.Encode(pixels, w, h, type));
            Assert.Equal(w, img.Width);
            Assert.Equal(h, img.Height);
            Assert.Equal((int)type, img.ColorType);
            Assert.Equal(["IHDR", "IDAT", "IEND"], img.Chunks);
            Assert.Equal(pixels, img.Pixels);
        }
    }

    [Fact]
    public void Encode_SmoothImage_UsesSubOrUpFilters_AndCompressesBetter()
    {
        byte[] pixels = RandomPixels(200, 100, 3, 0, smooth: true);
        byte[] png = PngWriter.Encode(pixels, 200, 100);
        var img = PngTestDecoder.Decode(png);
        Assert.Contains(img.Filters, f => f is 1 or 2);
        Assert.All(img.Filters, f => Assert.InRange(f, 0, 2));
        Assert.True(png.Length < pixels.Length / 10, $"{png.Length} bytes for {pixels.Length} raw");
    }

    [Fact]
    public void Crc32_MatchesTheStandardCheckValue()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        var data = new byte[1000];
        new Random(3).NextBytes(data);
        Assert.Equal(PngTestDecoder.BitwiseCrc(data), Crc32.Compute(data));
    }

    [Fact]
    public void Encode_BadArguments_Throw()
    {
        Assert.ThrowsAny<ArgumentException>(() => PngWriter.Encode(new byte[11], 2, 2));
        Assert.ThrowsAny<ArgumentException>(() => PngWriter.Encode(new byte[0], 0, 2));
        Assert.ThrowsAny<ArgumentException>(() => PngWriter.Encode(new byte[12], 2, 2, (PngColorType)3));
        var ex = Assert.Throws<ArgumentException>(() => PngWriter.Encode(new byte[12], 2, 2, PngColorType.Rgba));
        Assert.Contains("16", ex.Message);
    }

    [Fact]
    public void Encode_IsReadByPythonZlibAndPilWhenAvailable()
    {
        // External check: CPython's zlib (an independent inflate and CRC-32) and, when installed, Pillow.
        string? python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : null;
        if (python is null) return; // no external decoder on this machine
        byte[] pixels = RandomPixels(37, 21, 3, 9, smooth: false);
        string path = Path.Combine(Path.GetTempPath(), $"affetto-png-{Guid.NewGuid():N}.png");
        PngWriter.Save(path, pixels, 37, 21);
        try
        {
            const string script = """
import sys, zlib, struct, hashlib
d = open(sys.argv[1], 'rb').read()
assert d[:8] == b'\x89PNG\r\n\x1a\n'
p, idat = 8, b''
while p < len(d):
    n, = struct.unpack('>I', d[p:p+4]); t = d[p+4:p+8]; body = d[p+8:p+8+n]
    assert zlib.crc32(t + body) == struct.unpack('>I', d[p+8+n:p+12+n])[0], t
    if t == b'IDAT': idat += body
    p += 12 + n
raw = zlib.decompress(idat)
try:
    from PIL import Image
    im = Image.open(sys.argv[1]); im.load()
    print('pil', hashlib.sha256(im.convert('RGB').tobytes()).hexdigest())
except ImportError:
    print('zlib', len(raw))
""";
            var psi = new ProcessStartInfo(python, ["-c", script, path]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var proc = Process.Start(psi)!;
            string stdout = proc.StandardOutput.ReadToEnd();
            string stderr = proc.StandardError.ReadToEnd();
            proc.WaitForExit();
            Assert.True(proc.ExitCode == 0, stderr);
            string[] parts = stdout.Trim().Split(' ');
            if (parts[0] == "pil") Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pixels)), parts[1]);
            else Assert.Equal(((37 * 3) + 1) * 21, int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
