namespace LoraPar.Core.Settings;

/// <summary>
/// Marks a property the caller sets from the run (e.g. the experiment's seed), so a manifest never writes it in the
/// record's own table and it never appears twice in a stage key.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class FromRunAttribute : Attribute;
