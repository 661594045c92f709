using Affetto.Nn.Serialization;
using Affetto.Nn.Tensors;

namespace Affetto.Nn.Tests.Support;

/// <summary>Loads the PyTorch fixtures made by Fixtures/generate_torch.py.</summary>
internal static class Fixtures
{
    private static readonly Dictionary<string, Dictionary<string, Tensor>> s_cache = [];

    public static string Dir => Path.Combine(AppContext.BaseDirectory, "Fixtures", "torch");

    public static Dictionary<string, Tensor> Load(string name)
    {
        lock (s_cache)
        {
            if (!s_cache.TryGetValue(name, out var d))
            {
                d = SafeTensors.Load(Path.Combine(Dir, name + ".safetensors")).Tensors;
                s_cache[name] = d;
            }

            return d;
        }
    }

    /// <summary>Entries under <paramref name="prefix"/> with the prefix removed (copies, so tests may mutate them).</summary>
    public static Dictionary<string, Tensor> WithPrefix(Dictionary<string, Tensor> d, string prefix) =>
        d.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal))
         .ToDictionary(p => p.Key[prefix.Length..], p => p.Value.Clone().WithDType(p.Value.DType));
}
