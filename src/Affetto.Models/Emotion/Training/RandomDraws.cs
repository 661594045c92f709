namespace Affetto.Models.Emotion.Training;

/// <summary>The few distributions the trainer draws from, on a seeded <see cref="Random"/>.</summary>
internal static class RandomDraws
{
    /// <summary>A standard normal draw (Box-Muller).</summary>
    public static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>A draw from Beta(α, α): X / (X + Y) with X, Y ~ Gamma(α, 1).</summary>
    public static double SymmetricBeta(double alpha, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(alpha);
        double x = Gamma(alpha, random), y = Gamma(alpha, random);
        return x + y > 0 ? x / (x + y) : 0.5;
    }

    /// <summary>A draw from Gamma(shape, 1): Marsaglia and Tsang (2000); for shape &lt; 1, Gamma(a + 1) · U^(1/a).</summary>
    public static double Gamma(double shape, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shape);
        if (shape < 1) return Gamma(shape + 1, random) * Math.Pow(1 - random.NextDouble(), 1 / shape);
        double d = shape - 1.0 / 3, c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double z, v;
            do
            {
                z = Normal(random);
                v = 1 + c * z;
            }
            while (v <= 0);
            v = v * v * v;
            double u = 1 - random.NextDouble();
            if (Math.Log(u) < 0.5 * z * z + d - d * v + d * Math.Log(v)) return d * v;
        }
    }
}
