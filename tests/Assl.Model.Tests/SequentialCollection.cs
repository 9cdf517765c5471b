namespace Assl.Model.Tests;

/// <summary>
/// Tests that seed libtorch's generator and then depend on what it draws. The generator is one per process, so a test
/// running beside them on another thread would draw from it in between (seen: a seeded gradient test failed in CI only
/// when run with the whole assembly). This collection runs alone, after the parallel ones.
/// </summary>
[CollectionDefinition("Sequential", DisableParallelization = true)]
public sealed class SequentialCollection;
