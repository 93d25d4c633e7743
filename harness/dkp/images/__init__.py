"""The registry seam: how controllers read module images, and an in-memory registry for unit tests.

The controllers never see HTTP: they hold a :class:`~harness.dkp.images.reader.RegistryReader`
opened for one ModuleSource. The cluster passes ``RegistryClient.for_source`` (a real OCI
registry); decision tests pass :meth:`~harness.dkp.images.memory.InMemoryRegistry.factory`.
"""
