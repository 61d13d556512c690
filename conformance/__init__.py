"""DRF conformance: DRF's own test suite, run against this package's views and viewsets.

Nothing of DRF's code lives here: :mod:`conformance.run` downloads the sdist of the installed
DRF version at run time and runs selected test modules from it, with :mod:`conformance.plugin`
(settings, fixtures, exclusions, report) and :mod:`conformance.substitution` (DRF's view classes
replaced by ours). ``exclusions.txt`` lists the tests that cannot apply, one reason per line.
"""
