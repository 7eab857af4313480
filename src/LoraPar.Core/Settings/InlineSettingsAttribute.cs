namespace LoraPar.Core.Settings;

/// <summary>
/// Marks a nested settings record whose keys are written in its parent's table rather than a sub-table (e.g. the SFT
/// batching keys <c>batch_size</c> and <c>max_length</c> sit directly in <c>[sft]</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class InlineSettingsAttribute : Attribute;
