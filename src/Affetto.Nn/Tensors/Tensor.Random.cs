namespace Affetto.Nn.Tensors;

public sealed partial class Tensor
{
    /// <summary>Uniform values in [0, 1).</summary>
    public static Tensor Rand(int[] shape, Generator? generator = null) => Uniform(shape, 0f, 1f, generator);

    /// <summary>Uniform values in [low, high).</summary>
    public static Tensor Uniform(int[] shape, float low, float high, Generator? generator = null)
    {
        var t = Uninitialized((int[])Check(shape).Clone());
        (generator ?? Generator.Default).FillUniform(t.Data, low, high);
        return t;
    }

    /// <summary>Standard normal values.</summary>
    public static Tensor Randn(int[] shape, Generator? generator = null) => Normal(shape, 0f, 1f, generator);

    /// <summary>Normal values with the given mean and standard deviation.</summary>
    public static Tensor Normal(int[] shape, float mean, float std, Generator? generator = null)
    {
        var t = Uninitialized((int[])Check(shape).Clone());
        (generator ?? Generator.Default).FillNormal(t.Data, mean, std);
        return t;
    }
}
