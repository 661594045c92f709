using System.Text.Json;

namespace Affetto.Models.Tests.Support;

/// <summary>Loads the JSON fixtures written by Fixtures/generate_*.py.</summary>
internal static class Fixture
{
    private static readonly Dictionary<string, JsonElement> s_cache = [];

    public static JsonElement Load(string name)
    {
        lock (s_cache)
        {
            if (!s_cache.TryGetValue(name, out var root))
            {
                var path = System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
                root = JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();
                s_cache[name] = root;
            }
            return root;
        }
    }

    public static double[] Doubles(this JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    public static int[] Ints(this JsonElement e) => e.EnumerateArray().Select(v => v.GetInt32()).ToArray();

    public static string[] Strings(this JsonElement e) => e.EnumerateArray().Select(v => v.GetString()!).ToArray();

    public static double[][] Matrix(this JsonElement e) => e.EnumerateArray().Select(Doubles).ToArray();
}
