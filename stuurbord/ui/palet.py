"""The colours of every chart and status, in one place: the Okabe-Ito palette, which readers with
the common forms of colour blindness (deuteranopia, protanopia, tritanopia) can tell apart
(Okabe & Ito, "Color Universal Design", 2008). Colour never carries meaning alone: statuses
also have a word and an icon or marker shape (docs/accessibility.md)."""
BLAUW = "#0072B2"        # the main series (bezetting, actual)
HEMELBLAUW = "#56B4E9"   # the reference series beside it (formatie, before)
GROEN = "#009E73"        # bluish green: norm met, fully staffed
ORANJE = "#E69F00"       # just missed, late but reached
ROOD = "#D55E00"         # vermillion: not met, above the norm, over budget
GEEL = "#F0E442"
PAARS = "#CC79A7"        # reddish purple
GRIJS = "#8a949c"        # not measured, closed
