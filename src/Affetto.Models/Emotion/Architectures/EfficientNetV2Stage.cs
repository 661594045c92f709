namespace Affetto.Models.Emotion.Architectures;

/// <summary>
/// One row of an EfficientNetV2 stage table: <paramref name="Fused"/> selects Fused-MBConv (no squeeze-excitation)
/// over MBConv (squeeze-excitation with ratio <paramref name="SeRatio"/> of the block's input channels); the first
/// layer of the stage has stride <paramref name="Stride"/> and <paramref name="InChannels"/> inputs, the others
/// stride 1 and <paramref name="OutChannels"/> inputs.
/// </summary>
/// <param name="Fused">Fused-MBConv when true, MBConv otherwise.</param>
/// <param name="ExpandRatio">Expansion ratio (the "4" of "MBConv4").</param>
/// <param name="KernelSize">Kernel size (3 for every V2-S stage).</param>
/// <param name="Stride">Stride of the stage's first layer.</param>
/// <param name="InChannels">Input channels of the stage.</param>
/// <param name="OutChannels">Output channels of every layer.</param>
/// <param name="Layers">Number of layers (blocks).</param>
/// <param name="SeRatio">Squeeze-excitation ratio (0 for Fused-MBConv).</param>
public sealed record EfficientNetV2Stage(bool Fused, float ExpandRatio, int KernelSize, int Stride, int InChannels, int OutChannels, int Layers, double SeRatio)
{
    /// <summary>The paper's operator name, e.g. "Fused-MBConv4" or "MBConv6, SE0.25".</summary>
    public string Operator => Fused
        ? $"Fused-MBConv{ExpandRatio:0.##}"
        : $"MBConv{ExpandRatio:0.##}, SE{SeRatio:0.##}";
}
