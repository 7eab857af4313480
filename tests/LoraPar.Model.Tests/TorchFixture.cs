using LoraPar.Model.Runtime;

namespace LoraPar.Model.Tests;

/// <summary>Base of test classes that use TorchSharp: loads the native library first.</summary>
public abstract class TorchTest
{
    protected TorchTest() => TorchRuntime.EnsureInitialized();
}
