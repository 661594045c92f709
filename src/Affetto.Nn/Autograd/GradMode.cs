namespace Affetto.Nn.Autograd;

/// <summary>Thread-local switch that decides whether operations record their backward functions.</summary>
public static class GradMode
{
    [ThreadStatic]
    private static int t_disabledDepth;

    /// <summary>True when operations on tensors that require gradients record a graph (the default).</summary>
    public static bool IsEnabled => t_disabledDepth == 0;

    /// <summary>Starts a scope in which nothing is recorded (like <c>torch.no_grad()</c>); dispose it to leave.</summary>
    public static NoGradScope NoGrad()
    {
        t_disabledDepth++;
        return new NoGradScope(true);
    }

    internal static void Leave() => t_disabledDepth--;
}
