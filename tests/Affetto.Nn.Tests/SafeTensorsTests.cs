using System.Diagnostics;
using System.Text;
using Affetto.Nn.Modules;
using Affetto.Nn.Serialization;
using Affetto.Nn.Tensors;
using Affetto.Nn.Tests.Support;

namespace Affetto.Nn.Tests;

public class SafeTensorsTests
{
    private static string TempFile() => Path.Combine(Path.GetTempPath(), "affetto-nn-" + Guid.NewGuid().ToString("N") + ".safetensors");

    [Fact]
    public void SaveThenLoad_IsBitIdentical_WithMetadata()
    {
        var t = new Dictionary<string, Tensor>
        {
            ["w"] = Tensor.Randn([3, 5], new Generator(1)),
            ["b"] = Tensor.FromArray([float.NaN, float.PositiveInfinity, -0f, float.Epsilon], 4),
            ["s"] = Tensor.Scalar(3.5f),
            ["n"] = Tensor.Scalar(12345).WithDType(TensorDType.Int64),
            ["e"] = Tensor.Zeros(0, 2),
            ["view"] = Tensor.Randn([4, 3], new Generator(2)).T,
        };
        var meta = new Dictionary<string, string> { ["arch"] = "cnn", ["classes"] = "Q1,Q2,Q3,Q4" };
        string path = TempFile();
        try
        {
            SafeTensors.Save(path, t, meta);
            var (loaded, m) = SafeTensors.Load(path);
            Assert.Equal(meta, m);
            Assert.Equal(t.Keys.Order(), loaded.Keys.Order());
            foreach (var (k, v) in t)
            {
                Assert.Equal(v.Shape, loaded[k].Shape);
                Assert.Equal(v.DType, loaded[k].DType);
                Assert.Equal(v.ToArray().Select(BitConverter.SingleToInt32Bits), loaded[k].ToArray().Select(BitConverter.SingleToInt32Bits));
            }

            // The header is padded to a multiple of 8 and the file re-saves byte for byte.
            var bytes = File.ReadAllBytes(path);
            Assert.Equal(0UL, BitConverter.ToUInt64(bytes, 0) % 8);
            string again = TempFile();
            SafeTensors.Save(again, loaded, m);
            Assert.Equal(bytes, File.ReadAllBytes(again));
            File.Delete(again);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_FileWrittenByTorchScript_ReadsAllDtypesAndMetadata()
    {
        var (t, meta) = SafeTensors.Load(Path.Combine(Fixtures.Dir, "interop.safetensors"));
        Assert.Equal("pt", meta["format"]);
        Assert.Equal("test", meta["model"]);
        Assert.Equal([3, 2], t["a.weight"].Shape);
        Assert.Equal([0f, 1, 2, 3, 4], t["b"].ToArray());
        Assert.Equal(TensorDType.Int64, t["b"].DType);
        Assert.Equal([2, 2], t["c"].Shape);
        Assert.Empty(t["scalar"].Shape);
        Assert.Equal(2.5f, t["scalar"].Item());
        Assert.Equal([0, 3], t["empty"].Shape);
    }

    [Fact]
    public void Save_ModelStateDict_IsReadByTorchSideReader()
    {
        string python = "/usr/bin/python3";
        if (!File.Exists(python))
        {
            return; // The torch peer is not installed here: nothing to compare against.
        }

        var model = new Sequential(new Conv2d(1, 2, 3, generator: new Generator(1)), new BatchNorm2d(2));
        model.Forward(Tensor.Randn([2, 1, 5, 5], new Generator(2)));
        string path = TempFile();
        try
        {
            SafeTensors.Save(path, model.StateDict(), new Dictionary<string, string> { ["k"] = "v" });
            var psi = new ProcessStartInfo(python, [Path.Combine(AppContext.BaseDirectory, "Fixtures", "generate_torch.py"), "--verify", path])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var p = Process.Start(psi)!;
            string stdout = p.StandardOutput.ReadToEnd();
            string stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (stderr.Contains("No module named 'torch'", StringComparison.Ordinal))
            {
                return;
            }

            Assert.True(p.ExitCode == 0, stderr);
            var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            foreach (var (k, v) in model.StateDict())
            {
                var line = lines.Single(l => l.StartsWith(k + " ", StringComparison.Ordinal));
                var parts = line.Split(' ', 4);
                Assert.Equal(v.DType == TensorDType.Int64 ? "int64" : "float32", parts[1]);
                Assert.Equal("[" + string.Join(", ", v.Shape) + "]", parts[2] + (parts[3].Contains(']') && !parts[2].EndsWith(']') ? " " + parts[3][..(parts[3].IndexOf(']') + 1)] : string.Empty));
                double sum = v.ToArray().Sum(x => (double)x);
                double printed = double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal(sum, printed, 4);
            }

            Assert.Contains("metadata {\"k\": \"v\"}", stdout);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static TheoryData<string, byte[]> Malformed()
    {
        static byte[] File(string header, int dataBytes = 0)
        {
            var h = Encoding.UTF8.GetBytes(header);
            var b = new byte[8 + h.Length + dataBytes];
            BitConverter.GetBytes((ulong)h.Length).CopyTo(b, 0);
            h.CopyTo(b, 8);
            return b;
        }

        return new TheoryData<string, byte[]>
        {
            { "too short", [1, 2, 3] },
            { "header length beyond file", BitConverter.GetBytes(1000UL) },
            { "bad json", File("{\"a\": ") },
            { "not an object", File("[1,2]") },
            { "missing dtype", File("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4) },
            { "unknown dtype", File("{\"a\":{\"dtype\":\"Q7\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4) },
            { "offsets outside data", File("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4) },
            { "size mismatch", File("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8) },
            { "negative dim", File("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4) },
            { "metadata not strings", File("{\"__metadata__\":{\"a\":1}}") },
        };
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Read_MalformedBytes_ThrowsInvalidData(string why, byte[] bytes)
    {
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Read(bytes));
        Assert.False(string.IsNullOrEmpty(e.Message), why);
    }

    [Fact]
    public void Load_MalformedFile_MessageNamesTheFile()
    {
        string path = TempFile();
        File.WriteAllBytes(path, [1, 2, 3]);
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
            Assert.Contains(path, e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Read_RandomBytes_NeverCrashesWithAnythingButInvalidData()
    {
        var g = new Generator(9);
        var valid = new MemoryStream();
        SafeTensors.Write(valid, new Dictionary<string, Tensor> { ["x"] = Tensor.Ones(2, 2) });
        var baseBytes = valid.ToArray();
        for (int trial = 0; trial < 300; trial++)
        {
            var b = (byte[])baseBytes.Clone();
            int flips = 1 + g.NextInt(4);
            for (int i = 0; i < flips; i++)
            {
                b[g.NextInt(b.Length)] = (byte)g.NextInt(256);
            }

            if (trial % 3 == 0)
            {
                b = b[..g.NextInt(b.Length)];
            }

            try
            {
                SafeTensors.Read(b);
            }
            catch (InvalidDataException)
            {
            }
        }
    }

    [Fact]
    public void ModuleExtensions_SaveThenLoad_RestoreWeightsAndMetadata()
    {
        var a = new Sequential(new Conv2d(1, 2, 3, generator: new Generator(1)), new BatchNorm2d(2), new Flatten(), new Linear(18, 3, generator: new Generator(2)));
        a.Forward(Tensor.Randn([2, 1, 5, 5], new Generator(3)));
        string path = TempFile();
        try
        {
            a.SaveSafeTensors(path, new Dictionary<string, string> { ["classes"] = "Q1,Q2,Q3" });
            var b = new Sequential(new Conv2d(1, 2, 3, generator: new Generator(9)), new BatchNorm2d(2), new Flatten(), new Linear(18, 3, generator: new Generator(9)));
            var meta = b.LoadSafeTensors(path);
            Assert.Equal("Q1,Q2,Q3", meta["classes"]);
            a.Eval();
            b.Eval();
            var x = Tensor.Randn([1, 1, 5, 5], new Generator(4));
            Assert.Equal(a.Forward(x).ToArray(), b.Forward(x).ToArray());
            var c = new Sequential(new Conv2d(1, 2, 3), new BatchNorm2d(2));
            var e = Assert.Throws<CheckpointMismatchException>(() => c.LoadSafeTensors(path));
            Assert.Contains("3.weight", e.UnexpectedKeys);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Save_ReservedName_Throws()
    {
        Assert.Throws<ArgumentException>(() => SafeTensors.Write(new MemoryStream(), new Dictionary<string, Tensor> { ["__metadata__"] = Tensor.Ones(1) }));
    }
}
