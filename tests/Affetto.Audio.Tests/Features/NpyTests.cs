using System.Text;
using Affetto.Audio.IO;

namespace Affetto.Audio.Tests.Features;

/// <summary>NpyWriter / NpyReader (the feature pipeline's array format).</summary>
public class NpyTests
{
    public static IEnumerable<object[]> Shapes()
    {
        yield return [Array.Empty<int>()];
        yield return [new[] { 0 }];
        yield return [new[] { 7 }];
        yield return [new[] { 3, 5 }];
        yield return [new[] { 2, 3, 4 }];
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void WriteThenRead_AnyShape_RoundTrips(int[] shape)
    {
        int count = shape.Aggregate(1, (a, b) => a * b);
        var data = FeatureFixtures.Noise(count, count);
        using var ms = new MemoryStream();
        NpyWriter.Write(ms, data, shape);
        Assert.Equal(0, (ms.Length - 4 * count) % 64);
        ms.Position = 0;
        var a = NpyReader.Read(ms);
        Assert.Equal(shape, a.Shape);
        Assert.Equal(data, a.Data);
        Assert.Equal("<f4", a.DType);
    }

    [Fact]
    public void Read_NumpyFloat64Fixture_ConvertsToFloat32()
    {
        // A float64 file as numpy writes it: {'descr': '<f8', 'fortran_order': False, 'shape': (2,), }
        var bytes = Build("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", BitConverter.GetBytes(1.5).Concat(BitConverter.GetBytes(-2.25)).ToArray());
        var a = NpyReader.Read(new MemoryStream(bytes));
        Assert.Equal([1.5f, -2.25f], a.Data);
        Assert.Equal("<f8", a.DType);
    }

    [Fact]
    public void Read_FixtureWrittenByNumpy_HasExpectedShape()
    {
        var a = FeatureFixtures.Load("mel_1s");
        Assert.Equal(new[] { 128, 44 }, a.Shape);
    }

    public static IEnumerable<object[]> BadFiles()
    {
        yield return [Encoding.ASCII.GetBytes("not an npy file at all"), "magic"];
        yield return [Build("{'descr': '<i4', 'fortran_order': False, 'shape': (1,), }", new byte[4]), "dtype"];
        yield return [Build("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", new byte[4]), "dtype"];
        yield return [Build("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", new byte[4]), "fortran_order"];
        yield return [Build("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", new byte[8]), "truncated"];
        yield return [Build("{'descr': '<f4', 'fortran_order': False, 'shape': (x,), }", new byte[4]), "shape"];
        yield return [Build("{'descr': '<f4', 'fortran_order': False, }", new byte[4]), "shape"];
        yield return [new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 9, 0 }, "version"];
        yield return [new byte[] { 0x93, (byte)'N', (byte)'U' }, "truncated"];
    }

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Read_MalformedFile_ThrowsInvalidDataNamingTheProblem(byte[] bytes, string expected)
    {
        var ex = Assert.Throws<InvalidDataException>(() => NpyReader.Read(new MemoryStream(bytes), "bad.npy"));
        Assert.Contains("bad.npy", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void ReadAndWrite_InvalidArguments_Throw()
    {
        Assert.Throws<FileNotFoundException>(() => NpyReader.Read("/nonexistent/x.npy"));
        Assert.Throws<ArgumentException>(() => NpyWriter.Write(new MemoryStream(), new float[5], [2, 2]));
        Assert.Throws<ArgumentException>(() => NpyWriter.Write(new MemoryStream(), new float[0], [-1]));
        Assert.Throws<ArgumentException>(() => new NpyArray(new float[3], [2]));
    }

    private static byte[] Build(string dict, byte[] payload)
    {
        var h = dict + "\n";
        int total = 10 + h.Length;
        int pad = (64 - total % 64) % 64;
        h = dict + new string(' ', pad) + "\n";
        var head = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 };
        head.AddRange(BitConverter.GetBytes((ushort)h.Length));
        head.AddRange(Encoding.ASCII.GetBytes(h));
        head.AddRange(payload);
        return head.ToArray();
    }
}
