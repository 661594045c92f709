using Affetto.Nn.Modules;

namespace Affetto.Nn.Serialization;

/// <summary>Saves and loads a module's state dict as a safetensors file (PyTorch's key names and layout).</summary>
public static class ModuleSerialization
{
    /// <summary>Writes <c>module.StateDict()</c> and optional metadata to <paramref name="path"/>.</summary>
    public static void SaveSafeTensors(this Module module, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        SafeTensors.Save(path, module.StateDict(), metadata);
    }

    /// <summary>Loads a safetensors file into the module (see <see cref="Module.LoadStateDict"/>) and returns its metadata.</summary>
    /// <exception cref="InvalidDataException">The file is not valid safetensors.</exception>
    /// <exception cref="CheckpointMismatchException">The file's tensors do not fit the module.</exception>
    public static IReadOnlyDictionary<string, string> LoadSafeTensors(this Module module, string path, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        var (tensors, metadata) = SafeTensors.Load(path);
        module.LoadStateDict(tensors, strict);
        return metadata;
    }
}
