using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Affetto.Cli.Infrastructure;

/// <summary>The JSON conventions of Affetto's output: snake_case keys, indented, nulls kept, plain UTF-8.</summary>
public static class Json
{
    /// <summary>Serializer options shared by every command.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes <paramref name="value"/> as JSON followed by a newline.</summary>
    public static void Write<T>(TextWriter w, T value) => w.WriteLine(JsonSerializer.Serialize(value, Options));
}
