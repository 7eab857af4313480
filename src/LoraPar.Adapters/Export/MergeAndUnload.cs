using TorchSharp.Modules;
using Module = TorchSharp.torch.nn.Module;

namespace LoraPar.Adapters.Export;

/// <summary>
/// PEFT's <c>merge_and_unload</c>: folds every adapter into its base weight (W ← W + s·B·A, in the base weight's dtype) and puts
/// the plain <see cref="Linear"/> back in its place, so the model is the base architecture again with the trained weights and
/// saves under the base model's HF keys. The adapters no longer belong to the model afterwards.
/// </summary>
public static class MergeAndUnload
{
    /// <summary>Merges and unwraps every layer of <paramref name="adapters"/> in <paramref name="root"/>.</summary>
    public static void Apply(Module root, LoraAdapterSet adapters)
    {
        foreach (var (path, layer) in adapters.Layers)
        {
            layer.Enabled = true;
            layer.Merge();
            ModuleSurgery.Replace(root, path, layer.BaseLayer);
        }
    }
}
